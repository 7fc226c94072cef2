// The Pokémon model's request contract refuses values outside what a Pokémon can have (issue 24): the bounds are JSDoc
// tags on the predict cell's PokemonStats type in notebooks/train.ipynb, which extract writes into the JSON schema the
// server validates with. Checked through the real server's validation (buildServer + inject), without loading a model.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inputSchema, outputSchema } from "../../../pipelines/train/predict.ts";
import { buildServer, type ServingApp } from "../../../runtime/serve/server.ts";
import { DEFAULT_SERVING_SETTINGS } from "../../../runtime/serve/serving-config.ts";
import { CHARIZARD } from "../../fixtures/charizard.ts";

let serving: ServingApp;

beforeAll(async () => {
  const version = {
    name: "train",
    version: 1,
    runId: undefined,
    inputSchema,
    outputSchema,
    metrics: {},
    trainingDataDigest: undefined,
    inputs: [],
    createdAt: 0,
    artifacts: [],
    aliases: [],
  };
  serving = await buildServer({ version, reference: "train", settings: DEFAULT_SERVING_SETTINGS });
});

afterAll(async () => {
  await serving.app.close();
});

async function predict(record: Record<string, unknown>) {
  const response = await serving.app.inject({ method: "POST", url: "/predict", payload: record });
  return { status: response.statusCode, body: response.json<{ error: string; message: string; field?: string }>() };
}

describe("the Pokémon request contract", () => {
  it.each([
    ["hp −1,000,000", { hp: -1e6 }, "hp", /hp.*>= 1/],
    ["hp 1e300", { hp: 1e300 }, "hp", /hp.*<= 255/],
    ["generation 999", { generation: 999 }, "generation", /generation.*<= 9/],
    ["generation 1.5", { generation: 1.5 }, "generation", /generation.*integer/],
    ["10,000 abilities", { abilities: Array.from({ length: 10_000 }, () => "Blaze") }, "abilities", /abilities.*8/],
    ["a negative weight", { weight_kg: -5 }, "weight_kg", /weight_kg.*>= 0/],
    ["101% male", { percentage_male: 101 }, "percentage_male", /percentage_male.*<= 100/],
  ])("refuses %s with 400 naming the field", async (_label, change, field, message) => {
    const { status, body } = await predict({ ...CHARIZARD, ...change });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: "INVALID_REQUEST", field });
    expect(body.message).toMatch(message);
  });

  it("takes Charizard (no model is loaded here, so the valid request waits for one: 503, not 400)", async () => {
    expect((await predict(CHARIZARD)).status).toBe(503);
  });
});
