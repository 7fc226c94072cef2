import { configDefaults, defineConfig } from "vitest/config";

// Tests start real kernels, servers and training runs: give them room, and keep
// the two cores of a CI machine for two test files at a time.
// The end-to-end tests (tests/e2e: a fresh clone's `npm ci` and `npm start`, a real
// browser) are a project of their own that runs after the others, with timeouts for
// minutes, one file at a time so the newcomer's timings are not shared with the browser
// test; CELLFORGE_SKIP_E2E=1 skips them on a developer's machine (CI runs them).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/e2e/**"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          maxWorkers: 1,
          testTimeout: 15 * 60_000,
          hookTimeout: 15 * 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
