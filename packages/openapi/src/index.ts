// The bundled document and its operation model: the one list of operations and webhooks that the
// client, the sandbox, the docs and the repo's checks all read.
import {
  document,
  type EventTable,
  type OperationTable,
  version,
} from "./generated/document.gen.js";
import {
  listOperations,
  listWebhooks,
  type OpenApiDocument,
  type SpecOperation,
  type SpecWebhook,
} from "./model.js";

export {
  DocumentModelError,
  HTTP_METHODS,
  type HttpMethod,
  type JsonObject,
  listOperations,
  listWebhooks,
  type NotificationFacts,
  type OpenApiDocument,
  type OperationObject,
  type PathItemObject,
  type SpecOperation,
  type SpecWebhook,
} from "./model.js";
export {
  PAGINATION_MODES,
  type PaginationFacts,
  type PaginationMode,
  readPagination,
} from "./pagination.js";
export type { EventTable, OperationTable };
export { document, version };

/** The operationId of every operation of the bundled document. */
export type OperationId = keyof OperationTable;

/** The event type (webhook name) of every notification of the bundled document. */
export type EventType = keyof EventTable;

/** An operation of the bundled document; `operationId` narrows method and path. */
export type MarketingOperation<Id extends OperationId = OperationId> = {
  [K in Id]: SpecOperation<K, OperationTable[K]["method"], OperationTable[K]["path"]>;
}[Id];

/** A webhook of the bundled document; `eventType` narrows the rest. */
export type MarketingWebhook<E extends EventType = EventType> = {
  [K in E]: SpecWebhook<K, EventTable[K]["operationId"], EventTable[K]["resourceSchema"]>;
}[E];

let bundledOperations: readonly MarketingOperation[] | undefined;
let bundledWebhooks: readonly MarketingWebhook[] | undefined;

/** Every operation of the bundled document (or of `source`), in document order. */
export function operations(): readonly MarketingOperation[];
export function operations(source: OpenApiDocument): readonly SpecOperation[];
export function operations(source: OpenApiDocument = document): readonly SpecOperation[] {
  if (source !== document) return listOperations(source);
  bundledOperations ??= listOperations(document) as MarketingOperation[];
  return bundledOperations;
}

/** Every webhook of the bundled document (or of `source`), in document order. */
export function webhooks(): readonly MarketingWebhook[];
export function webhooks(source: OpenApiDocument): readonly SpecWebhook[];
export function webhooks(source: OpenApiDocument = document): readonly SpecWebhook[] {
  if (source !== document) return listWebhooks(source);
  bundledWebhooks ??= listWebhooks(document) as MarketingWebhook[];
  return bundledWebhooks;
}

/** The operation with this operationId; throws naming it when the document has none. */
export function operation<Id extends OperationId>(operationId: Id): MarketingOperation<Id> {
  const found = operations().find((o) => o.operationId === operationId);
  if (!found) throw new RangeError(`the document has no operation ${operationId}`);
  return found as MarketingOperation<Id>;
}

/** The webhook of this event type; throws naming it when the document has none. */
export function webhook<E extends EventType>(eventType: E): MarketingWebhook<E> {
  const found = webhooks().find((w) => w.eventType === eventType);
  if (!found) throw new RangeError(`the document has no webhook ${eventType}`);
  return found as MarketingWebhook<E>;
}

export default document;
