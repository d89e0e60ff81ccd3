import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "docs",
    include: ["src/**/*.test.ts"],
    // The browser test starts Chromium once per file; type-checking all samples takes a few seconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
