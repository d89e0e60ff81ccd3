import { type EventType, webhooks } from "@wechatpay-marketing/openapi";
import { listOperations, type OpenApiDocument } from "./document.js";
import { createRouter } from "./router.js";
import { compileSchemaValidator, compileValidators } from "./validation.js";

/** The events the sandbox sends (typed by the document's webhooks), and when. */
export const SENT_EVENTS = {
  "COUPON.SEND": "when a user receives a merchant coupon",
  "COUPON.USE": "when a user pays with a cash coupon",
} as const satisfies Partial<Record<EventType, string>>;
export type SentEvent = keyof typeof SENT_EVENTS;

/** What the sandbox puts in a notification, and checks it against, from the event's webhook. */
function compileEvent(document: OpenApiDocument, eventType: SentEvent) {
  const webhook = webhooks(document).find((w) => w.eventType === eventType);
  if (!webhook) {
    throw new TypeError(
      `the document describes no ${eventType} webhook, which the sandbox sends ${SENT_EVENTS[eventType]}`,
    );
  }
  const { notification: facts } = webhook;
  return {
    facts,
    checkEnvelope: compileSchemaValidator(document, `#/components/schemas/${facts.envelopeSchema}`),
    checkResource: compileSchemaValidator(document, `#/components/schemas/${facts.resourceSchema}`),
  };
}

export type CompiledEvent = ReturnType<typeof compileEvent>;

function compileDocumentOnce(document: OpenApiDocument) {
  const operations = listOperations(document);
  const events = Object.fromEntries(
    Object.keys(SENT_EVENTS).map((e) => [e, compileEvent(document, e as SentEvent)]),
  ) as Record<SentEvent, CompiledEvent>;
  return {
    operations,
    router: createRouter(operations),
    validators: compileValidators(document, operations),
    events,
  };
}

/** What a sandbox derives from its document: routes and compiled schemas, pure functions of it. */
export type CompiledDocument = ReturnType<typeof compileDocumentOnce>;

const compiledDocuments = new WeakMap<OpenApiDocument, CompiledDocument>();

/** Compiling the document's schemas is most of a start-up; sandboxes of one document share it. */
export function compileDocument(document: OpenApiDocument): CompiledDocument {
  let compiled = compiledDocuments.get(document);
  if (!compiled) {
    compiled = compileDocumentOnce(document);
    compiledDocuments.set(document, compiled);
  }
  return compiled;
}
