import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "sandbox",
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      // The bin runs in a child process (src/cli.test.ts spawns it): the workers' v8 coverage
      // does not reach it, so it is tested there and left out of the figure here.
      exclude: ["src/**/*.test.ts", "src/cli.ts"],
      reporter: ["text-summary", "json-summary"],
      // The sandbox's own tests (raw signed HTTP): 69.45 % of the lines since the client-driven
      // scenarios of every operation moved to packages/e2e (issue 13 §3), which measures its
      // 81.27 % of these same sources through the built dist; the single suite had 94.2 %.
      thresholds: { lines: 69 },
    },
  },
});
