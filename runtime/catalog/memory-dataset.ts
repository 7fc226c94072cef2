/** `memory` datasets: values that live for one run only (names the catalog does not list). */
import type { Dataset, DatasetDescription, StoredFile } from "./dataset.ts";
import { DatasetNotFoundError } from "./errors.ts";

/** Holds a value in the process; nothing is written anywhere. */
export class MemoryDataset<T = unknown> implements Dataset<T> {
  readonly type = "memory";
  readonly persisted = false;
  private value: { data: T } | undefined;

  constructor(readonly name: string) {}

  async load(): Promise<T> {
    if (this.value === undefined) throw new DatasetNotFoundError(this.name, undefined);
    return this.value.data;
  }

  async save(data: T): Promise<void> {
    this.value = { data };
  }

  /** Drops the value so that it can be garbage-collected. */
  release(): void {
    this.value = undefined;
  }

  async exists(): Promise<boolean> {
    return this.value !== undefined;
  }

  async digest(): Promise<string | undefined> {
    return undefined;
  }

  async files(): Promise<StoredFile[]> {
    return [];
  }

  describe(): DatasetDescription {
    return { name: this.name, type: this.type, versioned: false };
  }

  rows(data: T): number | undefined {
    return Array.isArray(data) ? data.length : undefined;
  }
}
