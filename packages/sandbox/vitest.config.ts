import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "sandbox",
    include: ["src/**/*.test.ts"],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      // The bin runs in a child process (src/cli.test.ts spawns it): the workers' v8 coverage
      // does not reach it, so it is tested there and left out of the figure here.
      exclude: ["src/**/*.test.ts", "src/**/*.test-d.ts", "src/generated/**", "src/cli.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 90 },
    },
  },
});
