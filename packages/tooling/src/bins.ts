// Command-line tools the tooling runs, from its own dependencies (pnpm links their bins into the
// package's node_modules/.bin).
import { fileURLToPath } from "node:url";

export type Tool = "attw" | "changeset" | "publint" | "tsc" | "turbo" | "verdaccio";

/** The path of a dependency's bin, runnable as a command. */
export function toolBin(name: Tool): string {
  return fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
}
