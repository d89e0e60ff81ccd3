// `pnpm start`: runs the demo of packages/demo, a workspace package so that it declares the
// packages it loads (a dependency of the root would put their files into every turbo hash).
await import("../packages/demo/demo.mjs");
