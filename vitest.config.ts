import { defineConfig } from "vitest/config";

// One Vitest run for the whole workspace: every package is a project, tests sit beside sources.
export default defineConfig({
  test: {
    projects: ["packages/*", "specs"],
  },
});
