import {
  document as bundledDocument,
  type OpenApiDocument,
  operations,
  type SpecOperation,
} from "@wechatpay-marketing/openapi";

// The operations come from the document's one model (@wechatpay-marketing/openapi), the list the
// client's tests and the docs read too.
export type { OpenApiDocument, SpecOperation };

export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Every operation the document describes, in document order (`operations()` of the model). */
export function listOperations(
  document: OpenApiDocument = bundledDocument,
): readonly SpecOperation[] {
  return operations(document);
}

export { bundledDocument };
