/** Whether a process id is in use on this host, without touching the process. */

/** Whether process `pid` exists: signal 0 only checks; EPERM means it exists but belongs to another user. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
