import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "openapi",
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    // Importing the module form loads the whole document through Vite's transform: seconds on a
    // busy machine. A guard against a hang, not a timing.
    testTimeout: 60_000,
  },
});
