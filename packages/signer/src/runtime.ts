const { Deno, Bun, process } = globalThis as {
  Deno?: { version: { deno: string } };
  Bun?: { version: string };
  process?: { versions?: { node?: string } };
};
const node = process?.versions?.node;

/** `Deno/…`, `Bun/…`, `Node.js/…` or `web`: the runtime named in the default User-Agent. */
export const RUNTIME = Deno
  ? `Deno/${Deno.version.deno}`
  : Bun
    ? `Bun/${Bun.version}`
    : node
      ? `Node.js/${node}`
      : "web";

/** Node itself (Deno and Bun also define process.versions.node): node:crypto's fast path. */
export const IS_NODE = !Deno && !Bun && !!node;
