import { defineConfig } from "vitest/config";

// One Vitest run for the whole workspace: every package is a project, tests sit beside sources.
// `scripts` holds the release tooling's tests (scripts/vitest.config.ts).
export default defineConfig({
  test: {
    projects: ["packages/*", "specs", "scripts"],
  },
});
