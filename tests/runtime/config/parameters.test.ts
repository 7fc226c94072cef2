import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadProjectConfig } from "../../../runtime/config/config-loader.ts";
import { parseParamsOption, parseParamValue, resolveParameters } from "../../../runtime/config/parameters.ts";
import type { PipelineParameters } from "../../../runtime/pipeline/definition.ts";

const parameters: PipelineParameters = {
  defaults: {
    epochs: 60,
    learning_rate: 0.003,
    activation: "relu",
    layers: [128, 64],
    augment: false,
    model: { units: 32, dropout: 0.2 },
  },
  schema: {
    type: "object",
    properties: {
      epochs: { type: "integer" },
      learning_rate: { type: "number" },
      activation: { enum: ["relu", "tanh"] },
      layers: { type: "array", items: { type: "integer" } },
      augment: { type: "boolean" },
      model: {
        type: "object",
        properties: { units: { type: "integer" }, dropout: { type: "number" } },
        required: ["units"],
        additionalProperties: false,
      },
    },
    required: ["epochs", "learning_rate"],
    additionalProperties: false,
  },
};

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-params-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
}

function resolveIn(env: string, cli = ""): ReturnType<typeof resolveParameters> {
  const config = loadProjectConfig(root, env);
  return resolveParameters(parameters, {
    base: config.parameters.base,
    env: config.parameters.env,
    envName: env,
    cli: parseParamsOption(cli),
  });
}

describe("parameter precedence: defaults ← conf/base ← conf/<env> ← --params", () => {
  it("each layer overrides the one before, and the sources are reported", () => {
    write("conf/base/parameters.yml", "epochs: 10\nlearning_rate: 0.01\nactivation: tanh\n");
    write("conf/local/parameters.yml", "epochs: 20\n");
    write("conf/prod/parameters.yml", "epochs: 200\nlearning_rate: 0.001\n");
    const local = resolveIn("local", "learning_rate=0.5");
    expect(local.values).toMatchObject({ epochs: 20, learning_rate: 0.5, activation: "tanh", augment: false });
    expect(local.sources).toMatchObject({
      epochs: "conf/local/parameters.yml",
      learning_rate: "--params",
      activation: "conf/base/parameters.yml",
      augment: "default",
    });
    expect(resolveIn("prod").values).toMatchObject({ epochs: 200, learning_rate: 0.001, activation: "tanh" });
  });

  it("the defaults stand when there is no conf at all", () => {
    expect(resolveIn("local").values).toEqual(parameters.defaults);
  });

  it("--params values are parsed: numbers, booleans, JSON arrays and objects, dotted paths, plain strings", () => {
    const { values } = resolveIn("local", "epochs=5,augment=true,layers=[64,32,16],model.units=8,activation=tanh");
    expect(values).toMatchObject({
      epochs: 5,
      augment: true,
      layers: [64, 32, 16],
      model: { units: 8, dropout: 0.2 },
      activation: "tanh",
    });
    expect(parseParamValue("1e-3")).toBe(0.001);
    expect(parseParamValue("null")).toBe(null);
    expect(parseParamValue('"42"')).toBe("42");
    expect(parseParamValue("hello world")).toBe("hello world");
    expect(() => parseParamsOption("epochs")).toThrow("--params expects name=value pairs separated by commas");
  });
});

describe("parameter validation lists the valid parameters", () => {
  const table = [
    "Valid parameters:",
    "  epochs         integer          default 60",
    "  learning_rate  number           default 0.003",
    '  activation     "relu" | "tanh"  default "relu"',
    "  layers         integer[]        default [128,64]",
    "  augment        boolean          default false",
    '  model          object           default {"units":32,"dropout":0.2}',
  ].join("\n");

  it("an unknown name, with a suggestion", () => {
    expect(() => resolveIn("local", "epoch=5")).toThrow(
      `Unknown parameter \`epoch\` in --params (did you mean \`epochs\`?).\n\n${table}`,
    );
  });

  it("a wrong type, naming where the value came from", () => {
    write("conf/base/parameters.yml", "epochs: fifty\n");
    expect(() => resolveIn("local")).toThrow(
      `Parameter \`epochs\` (from conf/base/parameters.yml) expected integer, got string "fifty".\n\n${table}`,
    );
    expect(() => resolveIn("local", "epochs=2.5")).toThrow(
      "Parameter `epochs` (from --params) expected integer, got number 2.5.",
    );
    expect(() => resolveIn("local", "activation=sigmoid")).toThrow(
      'Parameter `activation` (from --params) expected one of "relu" | "tanh", got "sigmoid".',
    );
    expect(() => resolveIn("local", 'layers=[64,"x"]')).toThrow(
      'Parameter `layers.1` (from --params) expected integer, got string "x".',
    );
    expect(() => resolveIn("local", "model.depth=3")).toThrow(
      "Parameter `model.depth` (from --params) is not allowed.",
    );
  });

  it("several problems at once", () => {
    expect(() => resolveIn("local", "epochs=x,rate=1")).toThrow(
      /Unknown parameter `rate`[\s\S]*Parameter `epochs` \(from --params\) expected integer/,
    );
  });
});
