// How `cellforge nb` names a notebook cell, in the words extract and lint use: its position among code cells
// ("code cell 5"), with the execution count Jupyter shows beside it once the kernel gave it one.

/** "code cell 5" (1-based among code cells), or "cell [12] (code cell 5)" when the kernel ran it as execution 12. */
export function codeCellLabel(codeIndex: number, executionCount?: number | null): string {
  const code = `code cell ${codeIndex + 1}`;
  return executionCount === undefined || executionCount === null ? code : `cell [${executionCount}] (${code})`;
}
