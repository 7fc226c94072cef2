// nodes.ts: one exported, typed function per node, in notebook order, named after the node.
import type { NodeModel, NodeOutput, PipelineModel } from "../analysis/model.ts";

function indent(text: string, by = "  "): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? "" : by + line))
    .join("\n");
}

function docComment(node: NodeModel, source: string): string {
  const origin = `${source} cell ${node.cell}`;
  return node.heading === undefined
    ? `/** Node \`${node.name}\`, from ${origin}. */`
    : `/** ${node.heading.replace(/\*\//g, "* /")} (node \`${node.name}\`, ${origin}). */`;
}

/** The key of an output in the returned record: its dataset, which is the variable's name unless a node gave an earlier cell's variable a new value. */
function outputKey(output: NodeOutput): string {
  return output.dataset === output.name ? output.name : JSON.stringify(output.dataset);
}

/** `name`, or `"name@node": name` for a new value of an earlier cell's variable. */
function returnedField(output: NodeOutput): string {
  return output.dataset === output.name ? output.name : `${outputKey(output)}: ${output.name}`;
}

function returnType(node: NodeModel): string {
  if (node.outputs.length === 0) return node.async ? "Promise<void>" : "void";
  const fields = node.outputs.map((o) => `${outputKey(o)}: ${o.type}`);
  const flat = `{ ${fields.join("; ")} }`;
  const record = flat.length <= 60 ? flat : `{\n${fields.map((f) => `  ${f};`).join("\n")}\n}`;
  return node.async ? `Promise<${record}>` : record;
}

/** The source of one node's function, with its doc comment. */
export function nodeFunction(node: NodeModel, source: string): string {
  const parameters = node.inputs.map((i) => `${i.name}: ${i.type}`);
  const head = `export ${node.async ? "async " : ""}function ${node.functionName}(`;
  const result = returnType(node);
  const oneLine = `${head}${parameters.join(", ")}): ${result} {`;
  const signature =
    oneLine.length <= 110 && !result.includes("\n")
      ? oneLine
      : `${head}\n${parameters.map((p) => `  ${p},`).join("\n")}\n): ${result} {`;
  // A saved class instance loaded from its JSON file is plain data: give it its class's methods again.
  const revived = node.inputs
    .filter((i) => i.revive !== undefined)
    .map((i) => `${i.name} = reviveInstance(${i.revive}, ${i.name});`);
  const body = [
    revived.join("\n"),
    node.body,
    ...(node.outputs.length === 0 ? [] : [`return { ${node.outputs.map(returnedField).join(", ")} };`]),
  ].filter((part) => part !== "");
  return `${docComment(node, source)}\n${signature}\n${indent(body.join("\n\n"))}\n}`;
}

/** The body of nodes.ts, after its imports: the hoisted types, then the node functions. */
export function nodesModuleBody(model: PipelineModel): string {
  const types = model.nodeTypes.map((t) =>
    /^(\/\*\*[\s\S]*?\*\/\s*)?export\s/.test(t.text)
      ? t.text
      : t.text.replace(/^((?:\/\*\*[\s\S]*?\*\/\s*)?)/, "$1export "),
  );
  return [...types, ...model.nodes.map((node) => nodeFunction(node, model.source))].join("\n\n");
}
