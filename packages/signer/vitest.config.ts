import { defineProject } from "vitest/config";

export default defineProject({
  resolve: {
    // package.json's "imports" maps #platform to the built dist; tests run the Node platform
    // from source (platform.web.test.ts covers the web one, the conformance test both dists).
    alias: { "#platform": new URL("./src/platform.node.ts", import.meta.url).pathname },
  },
  test: {
    name: "signer",
    include: ["src/**/*.test.ts"],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
    // The property tests sign and verify 1,000 times each: a guard against a hang, not a timing.
    testTimeout: 30_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/**/*.test-d.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 95, branches: 90 },
    },
  },
});
