/** The OpenAPI document of the version served now: the routes' document with that version's request and response schemas. */
import type { ServedContract } from "./served-contract.ts";
import { exampleFor } from "./example-record.ts";
import { PREDICTION_ID, REQUEST_ID } from "./schemas.ts";

const documents = new WeakMap<object, WeakMap<ServedContract, Record<string, unknown>>>();

function withoutId(schema: Record<string, unknown>): Record<string, unknown> {
  const { $id: _id, ...rest } = schema;
  return rest;
}

/** `document` (as @fastify/swagger generated it) with `contract`'s schemas and version; made once per version. */
export function servedDocument(document: Record<string, unknown>, contract: ServedContract): Record<string, unknown> {
  let byContract = documents.get(document);
  if (byContract === undefined) {
    byContract = new WeakMap();
    documents.set(document, byContract);
  }
  let served = byContract.get(contract);
  if (served === undefined) {
    served = structuredClone(document);
    const components = (served["components"] ?? {}) as { schemas?: Record<string, unknown> };
    const example = exampleFor(contract.version.inputSchema);
    components.schemas = {
      ...components.schemas,
      [REQUEST_ID]: {
        ...withoutId(contract.schemas.request),
        ...(example === undefined ? {} : { examples: [example] }),
      },
      [PREDICTION_ID]: withoutId(contract.schemas.prediction),
    };
    served["components"] = components;
    const info = served["info"] as Record<string, unknown> | undefined;
    if (info !== undefined) info["version"] = contract.label;
    byContract.set(contract, served);
  }
  return served;
}
