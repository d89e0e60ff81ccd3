import type { Reply } from "../reply.js";
import { busifavorHandlers } from "./busifavor.js";
import type {
  HandlerTable,
  OperationContext,
  OperationHandler,
  ValidatedContext,
} from "./context.js";
import { favorHandlers } from "./favor.js";
import { imageHandlers } from "./images.js";
import type { OperationId } from "./operation-types.js";
import { partnershipHandlers } from "./partnerships.js";
import { paygiftHandlers } from "./paygift.js";
import { sendingHandlers } from "./sending.js";
import { subsidyHandlers } from "./subsidy.js";

export type {
  HandlerTable,
  OperationContext,
  OperationHandler,
  SandboxScope,
  ValidatedContext,
} from "./context.js";
export type {
  OperationId,
  OperationReply,
  PathParams,
  QueryParams,
  RequestBody,
  RequestHeaders,
} from "./operation-types.js";

/**
 * Every business handler, by operationId: the type names every operation of the bundled
 * document, so a table that misses one does not compile.
 */
export const handlers: HandlerTable = {
  ...busifavorHandlers,
  ...sendingHandlers,
  ...subsidyHandlers,
  ...paygiftHandlers,
  ...favorHandlers,
  ...partnershipHandlers,
  ...imageHandlers,
};

/** Handlers to add or replace, by operationId (startSandbox's `handlers` option). */
export type HandlerOverrides = { readonly [Id in OperationId]?: OperationHandler<Id> | undefined };

/** A handler as the server calls it, with a request its validators checked at run time. */
export type ValidatedHandler = (context: ValidatedContext) => Reply;

const reply = (status: number, body?: unknown): Reply =>
  body === undefined ? { status } : { status, body };

/**
 * The handler of `operationId`, or undefined when the table has none (the server answers 501). A
 * custom document may name operations the generated types do not know: they have no handler.
 */
export function validatedHandler(
  table: HandlerOverrides,
  operationId: string,
): ValidatedHandler | undefined {
  const handler = Object.hasOwn(table, operationId)
    ? (table as Readonly<Record<string, OperationHandler<OperationId> | undefined>>)[operationId]
    : undefined;
  if (!handler) return undefined;
  // The one place the two meet: the server's validators checked the request against the
  // document, which is what OperationContext's generated types describe.
  return (context) => handler({ ...context, reply } as unknown as OperationContext<OperationId>);
}
