// The operation model of an OpenAPI 3.1 document: every operation of `paths` and every webhook,
// with what consumers need to route, type, sample or simulate it. Pure functions over any document
// (the bundled one, or a changed copy in a test); the package entry applies them to the bundled one.

/** The methods a path item may hold, in OpenAPI's order. */
export const HTTP_METHODS = [
  "get",
  "put",
  "post",
  "delete",
  "options",
  "head",
  "patch",
  "trace",
] as const;

export type HttpMethod = Uppercase<(typeof HTTP_METHODS)[number]>;

export type JsonObject = { readonly [key: string]: unknown };

/** An operation object (parameters, requestBody, responses, …), as the document holds it. */
export type OperationObject = JsonObject;

/** A path item: one operation per method, plus path-level `parameters`. */
export type PathItemObject = JsonObject;

export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly [key: string]: unknown;
  };
  readonly paths: { readonly [path: string]: PathItemObject };
  readonly webhooks?: { readonly [name: string]: PathItemObject } | undefined;
  readonly components?: { readonly [kind: string]: JsonObject } | undefined;
  readonly [key: string]: unknown;
}

/** One operation of `paths`. */
export interface SpecOperation<
  Id extends string = string,
  Method extends HttpMethod = HttpMethod,
  Path extends string = string,
> {
  readonly operationId: Id;
  readonly method: Method;
  /** The path template, e.g. `/v3/marketing/busifavor/stocks/{stock_id}`. */
  readonly path: Path;
  /** `METHOD /path/{template}`, unique in the document. */
  readonly key: `${Method} ${Path}`;
  readonly tags: readonly string[];
  readonly summary: string;
  /** Names of the path's `{…}` segments, in order. */
  readonly pathParams: readonly string[];
  /** The operation object itself. */
  readonly definition: OperationObject;
  /** The path item holding it (path-level `parameters`). */
  readonly pathItem: PathItemObject;
}

/** What a notification carries once verified and decrypted (the webhook's `x-notification`). */
export interface NotificationFacts<Resource extends string = string> {
  /** Component schema of the decrypted `resource`, e.g. `BusifavorCouponSendResource`. */
  readonly resourceSchema: Resource;
  /** Component schema of the encrypted envelope the webhook's request body is. */
  readonly envelopeSchema: string;
  /** `resource.original_type` WeChat Pay sends for this event (原始回调类型). */
  readonly originalType: string;
  /** The envelope's `summary` (回调摘要). */
  readonly summary: string;
}

/** One webhook: a notification WeChat Pay sends, named by its `event_type`. */
export interface SpecWebhook<
  EventType extends string = string,
  Id extends string = string,
  Resource extends string = string,
> {
  /** The webhook's name in the document, which is the envelope's `event_type`, e.g. `COUPON.SEND`. */
  readonly eventType: EventType;
  readonly method: HttpMethod;
  readonly operationId: Id;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly notification: NotificationFacts<Resource>;
  readonly definition: OperationObject;
  readonly pathItem: PathItemObject;
}

/** The document does not say something a consumer needs; the message names the operation or webhook. */
export class DocumentModelError extends Error {
  override name = "DocumentModelError";
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function entries(
  items: { readonly [key: string]: PathItemObject } | undefined,
): [string, (typeof HTTP_METHODS)[number], OperationObject, PathItemObject][] {
  return Object.entries(items ?? {}).flatMap(([name, item]) =>
    HTTP_METHODS.filter((m) => isObject(item[m])).map(
      (m) =>
        [name, m, item[m] as OperationObject, item] as [
          string,
          typeof m,
          OperationObject,
          PathItemObject,
        ],
    ),
  );
}

function described(definition: OperationObject, where: string) {
  const { operationId, tags = [], summary = "" } = definition;
  if (typeof operationId !== "string" || operationId === "") {
    throw new DocumentModelError(`${where} has no operationId`);
  }
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === "string")) {
    throw new DocumentModelError(`${where} (${operationId}): tags must be a list of names`);
  }
  return { operationId, tags: tags as string[], summary: String(summary) };
}

function uniqueIds<T extends { operationId: string }>(list: T[], kind: string): T[] {
  const seen = new Set<string>();
  for (const { operationId } of list) {
    if (seen.has(operationId)) {
      throw new DocumentModelError(`two ${kind} share the operationId ${operationId}`);
    }
    seen.add(operationId);
  }
  return list;
}

/** Every operation of `paths`, in document order. */
export function listOperations(document: OpenApiDocument): SpecOperation[] {
  const list = entries(document.paths).map(([path, m, definition, pathItem]) => {
    const method = m.toUpperCase() as HttpMethod;
    return {
      ...described(definition, `${method} ${path}`),
      method,
      path,
      key: `${method} ${path}` as const,
      pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string),
      definition,
      pathItem,
    };
  });
  return uniqueIds(list, "operations");
}

/** The component name a local `#/components/schemas/…` reference points to. */
function componentName(node: unknown): string | undefined {
  const ref = isObject(node) ? node.$ref : undefined;
  const match = typeof ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(ref) : null;
  return match?.[1];
}

/** Every webhook, in document order, with what its notification decrypts to. */
export function listWebhooks(document: OpenApiDocument): SpecWebhook[] {
  const list = entries(document.webhooks).map(([eventType, m, definition, pathItem]) => {
    const method = m.toUpperCase() as HttpMethod;
    const facts = described(definition, `webhook ${eventType} (${method})`);
    const where = `webhook ${eventType} (${facts.operationId})`;
    const extension = definition["x-notification"];
    if (!isObject(extension)) {
      throw new DocumentModelError(
        `${where} has no x-notification naming the schema its resource decrypts to`,
      );
    }
    const resourceSchema = componentName(extension.resource);
    if (!resourceSchema) {
      throw new DocumentModelError(
        `${where}: x-notification.resource must reference a component schema (#/components/schemas/…)`,
      );
    }
    const body = isObject(definition.requestBody) ? definition.requestBody : {};
    const content = isObject(body.content) ? body.content : {};
    const json = content["application/json"];
    const envelopeSchema = componentName(isObject(json) ? json.schema : undefined);
    if (!envelopeSchema) {
      throw new DocumentModelError(
        `${where}: the request body must be an application/json component schema (the envelope)`,
      );
    }
    for (const field of ["original_type", "summary"] as const) {
      if (typeof extension[field] !== "string" || extension[field] === "") {
        throw new DocumentModelError(`${where}: x-notification.${field} must be a string`);
      }
    }
    return {
      eventType,
      method,
      ...facts,
      notification: {
        resourceSchema,
        envelopeSchema,
        originalType: extension.original_type as string,
        summary: extension.summary as string,
      },
      definition,
      pathItem,
    };
  });
  return uniqueIds(list, "webhooks");
}
