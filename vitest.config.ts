import { defineConfig } from "vitest/config";

// Two projects: `unit` (unit and in-process integration tests, parallel) and `e2e` (real soad +
// CometBFT networks: one file at a time in one fork, long timeouts). `make test` runs both.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["chain/src/**/*.test.ts", "chain/test/**/*.test.ts", "client/src/**/*.test.ts", "contracts-as/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/**/*.test.ts"],
          pool: "forks",
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
