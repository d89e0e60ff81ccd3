import { document as bundledDocument } from "@wechatpay-marketing/openapi";

export type OpenApiDocument = typeof bundledDocument;

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/** One operation of the bundled document, with what the router needs to find it. */
export interface SpecOperation {
  /** `METHOD /path/{template}`: the key business handlers are registered under. */
  key: string;
  operationId: string;
  method: string;
  path: string;
  /** Names of the `{…}` segments, in order. */
  pathParams: string[];
  /** The operation object from the document (parameters, requestBody, responses…). */
  definition: Record<string, unknown>;
}

export interface RouteMatch {
  operation: SpecOperation;
  params: Record<string, string>;
}

export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Every operation the document describes, in document order. */
export function listOperations(document: OpenApiDocument = bundledDocument): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const definition = item[method] as Record<string, unknown> | undefined;
      if (!definition) continue;
      operations.push({
        key: operationKey(method, path),
        operationId: String(definition.operationId ?? operationKey(method, path)),
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
        definition,
      });
    }
  }
  return operations;
}

/**
 * Routes a method and pathname to an operation. Literal segments beat `{param}` segments, so
 * `/activities/{id}/merchants/add` is never read as a parameter value.
 */
export function createRouter(operations: readonly SpecOperation[]) {
  const compiled = operations.map((operation) => ({
    operation,
    segments: operation.path.split("/"),
    literal: operation.pathParams.length,
  }));
  compiled.sort((a, b) => a.literal - b.literal);
  return {
    match(method: string, pathname: string): RouteMatch | undefined {
      const parts = pathname.split("/");
      for (const { operation, segments } of compiled) {
        if (operation.method !== method.toUpperCase() || segments.length !== parts.length) continue;
        const params: Record<string, string> = {};
        let ok = true;
        for (let i = 0; i < segments.length && ok; i++) {
          const segment = segments[i] as string;
          const part = parts[i] as string;
          const name = /^\{([^}]+)\}$/.exec(segment)?.[1];
          if (name) {
            if (!part) ok = false;
            else params[name] = decodeSegment(part);
          } else if (segment !== part) ok = false;
        }
        if (ok) return { operation, params };
      }
      return undefined;
    },
    /** Whether any operation serves this path with another method (for 405 vs 404). */
    pathExists(pathname: string): boolean {
      const parts = pathname.split("/");
      return compiled.some(
        ({ segments }) =>
          segments.length === parts.length &&
          segments.every((s, i) => s.startsWith("{") || s === parts[i]),
      );
    },
  };
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export { bundledDocument };
