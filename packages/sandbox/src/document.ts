import {
  document as bundledDocument,
  type OpenApiDocument,
  operations,
  type SpecOperation,
} from "@wechatpay-marketing/openapi";

// The operations come from the document's one model (@wechatpay-marketing/openapi), the list the
// client's tests and the docs read too.
export type { OpenApiDocument, SpecOperation };

export interface RouteMatch {
  operation: SpecOperation;
  params: Record<string, string>;
}

export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Every operation the document describes, in document order (`operations()` of the model). */
export function listOperations(
  document: OpenApiDocument = bundledDocument,
): readonly SpecOperation[] {
  return operations(document);
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
