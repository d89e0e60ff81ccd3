import { defineProject } from "vitest/config";

// The repo-wide scripts' own tests (release tooling): pure functions, no build needed.
export default defineProject({
  test: {
    name: "scripts",
    include: ["*.test.ts"],
  },
});
