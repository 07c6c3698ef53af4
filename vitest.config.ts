import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["chain/src/**/*.test.ts", "chain/test/**/*.test.ts", "client/src/**/*.test.ts", "test/**/*.test.ts"],
  },
});
