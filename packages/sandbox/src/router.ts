import { addRoute, createRouter as createRadixRouter, findRoute } from "rou3";
import type { SpecOperation } from "./document.js";

export interface RouteMatch {
  operation: SpecOperation;
  /** Path parameters by name, percent-decoded. */
  params: Record<string, string>;
}

export interface OperationRouter {
  match(method: string, pathname: string): RouteMatch | undefined;
  /** Whether any operation serves this path with another method (405 rather than 404). */
  pathExists(pathname: string): boolean;
}

/** `/a/{b}/c` as rou3 spells it (`/a/:b/c`). */
function pattern(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => `:${name}`);
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Routes a method and pathname to an operation of the document. rou3's radix tree compares a
 * path segment by segment and tries a literal segment before a `{param}` one at each step, so
 * `/activities/{id}/merchants/add` is never read with `merchants` as a parameter value, whatever
 * the number of parameters of either template. A path with an empty segment or a trailing `/`
 * names no operation (the document spells none).
 */
export function createRouter(operations: readonly SpecOperation[]): OperationRouter {
  const byMethod = createRadixRouter<SpecOperation>();
  const anyMethod = createRadixRouter<true>();
  for (const operation of operations) {
    addRoute(byMethod, operation.method, pattern(operation.path), operation);
    addRoute(anyMethod, "", pattern(operation.path), true);
  }
  // rou3 forgives a trailing slash and empty segments; WeChat Pay's paths have neither.
  const routable = (pathname: string) =>
    pathname.length > 1 && !pathname.includes("//") && !pathname.endsWith("/");
  return {
    match(method, pathname) {
      if (!routable(pathname)) return undefined;
      const found = findRoute(byMethod, method.toUpperCase(), pathname);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(found.params ?? {})) {
        params[name] = decodeSegment(value);
      }
      return { operation: found.data, params };
    },
    pathExists(pathname) {
      return routable(pathname) && findRoute(anyMethod, "", pathname) !== undefined;
    },
  };
}
