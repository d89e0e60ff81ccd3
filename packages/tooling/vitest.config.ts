import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "tooling",
    include: ["src/**/*.test.ts"],
    // The graph test runs turbo a few times on a copy of the workspace.
    testTimeout: 120_000,
  },
});
