import type { SpecOperation } from "../document.js";
import type { Reply } from "../reply.js";
import type { CouponRecord, SandboxStore } from "../store.js";
import type {
  OperationId,
  OperationReply,
  PathParams,
  QueryParams,
  RequestBody,
  RequestHeaders,
} from "./operation-types.js";

/** The operation's declared answer with status `S`. */
export type ReplyWith<Id extends OperationId, S> = Extract<OperationReply<Id>, { status: S }>;

/** The body argument of `reply(status, …)`: none for a status whose answer has no body. */
type BodyArgument<Id extends OperationId, S> =
  ReplyWith<Id, S> extends { body: infer B } ? [body: B] : [];

/**
 * What the handler of operation `Id` sees: the request validated against the document (typed by
 * the types generated from it) and the sandbox around it.
 */
export interface OperationContext<Id extends OperationId> {
  operation: SpecOperation;
  store: SandboxStore;
  /** The merchant that signed the request. */
  mchid: string;
  /** AppIDs bound to the merchant (others answer APPID_MCHID_NOT_MATCH). */
  appids: readonly string[];
  params: PathParams<Id>;
  query: QueryParams<Id>;
  headers: RequestHeaders<Id>;
  body: RequestBody<Id>;
  /**
   * An answer the document declares for the operation. The body is an argument (not a returned
   * object literal, which TypeScript does not check for unknown fields), so a field the
   * response schema does not name is a compile error.
   */
  reply<S extends OperationReply<Id>["status"]>(
    status: S,
    ...body: BodyArgument<Id, S>
  ): ReplyWith<Id, S>;
  /**
   * Runs a state change once per business request number (see SandboxStore.once): the scope
   * is the operation and the merchant, the fingerprint the path parameters and the body.
   */
  once<R extends OperationReply<Id>>(numberField: string, number: string, run: () => R): R;
  /** The sandbox's own base URL (`http://127.0.0.1:<port>`), for links it hands out. */
  origin: string;
  /** The `file` part of a multipart upload. */
  upload?: { bytes: Uint8Array; filename: string; type: string };
  /** Fires COUPON.SEND for a coupon a user just received. */
  couponSent(coupon: CouponRecord): void;
}

/** What every handler has, whatever its operation: for rules that do not read the request. */
export type SandboxScope = Pick<
  OperationContext<OperationId>,
  "store" | "mchid" | "appids" | "origin" | "couponSent"
>;

export type OperationHandler<Id extends OperationId> = (
  context: OperationContext<Id>,
) => OperationReply<Id>;

/** One business handler for every operation of the bundled document, by operationId. */
export type HandlerTable = { readonly [Id in OperationId]: OperationHandler<Id> };

/**
 * The server's side of a handler: it hands over a request that its validators checked against
 * the document at run time, which is what the handler's generated types describe. Values that
 * travel between the two are plain JSON.
 */
export interface ValidatedRequest {
  operation: SpecOperation;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export type ValidatedContext = Omit<
  OperationContext<OperationId>,
  "params" | "query" | "headers" | "body" | "reply" | "once"
> &
  ValidatedRequest & {
    once(numberField: string, number: string, run: () => Reply): Reply;
  };
