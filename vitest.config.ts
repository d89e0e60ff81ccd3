import { defineConfig } from "vitest/config";

// Every package's Vitest project, for one run from the root (`pnpm vitest run --project <name>
// <file>`, editors). `pnpm test` runs each package's own project as a turbo task instead, so that
// each is cached on exactly what it reads; this file is not among those inputs.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "specs/vitest.config.ts"],
  },
});
