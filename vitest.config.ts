import { defineConfig } from "vitest/config";

// Tests start real kernels, servers and training runs: give them room, and keep
// the two cores of a CI machine for two test files at a time.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
