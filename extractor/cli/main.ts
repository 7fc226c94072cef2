/** The `extract` command line. */

const usage = `Usage: extract <notebook.ipynb>… [--out DIR] [--check]
       extract --all [--check]

Lifts the tagged cells of TypeScript notebooks into typed pipeline modules
under pipelines/<notebook name>/.`;

/** Runs the CLI with argv (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(usage);
    return 0;
  }
  console.error(`extract: not available yet in this version of cellforge.\n\n${usage}`);
  return 1;
}
