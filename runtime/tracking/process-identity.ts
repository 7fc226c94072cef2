/** Who owns a run (pid, host, start time) and whether that process is still alive. */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { pidExists } from "../process/pid.ts";
import type { ProcessIdentity } from "./store.ts";

/** Linux: the start time of process `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat). */
function startTicks(pid: number | "self"): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** This process. */
export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, host: hostname(), start: startTicks("self") };
}

/** Whether `owner` still runs: true/false on this host, undefined for another host (we cannot tell). */
export function isProcessAlive(owner: ProcessIdentity): boolean | undefined {
  if (owner.host !== hostname()) return undefined;
  if (!pidExists(owner.pid)) return false;
  // Same pid, different start time: the pid was reused by another process.
  const start = startTicks(owner.pid);
  return owner.start === undefined || start === undefined || start === owner.start;
}
