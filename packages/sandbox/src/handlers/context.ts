import type { SpecOperation } from "../document.js";
import type { Reply } from "../reply.js";
import type { CouponRecord, Json, SandboxStore } from "../store.js";

/** What a business handler sees: the validated request and the sandbox around it. */
export interface OperationContext {
  operation: SpecOperation;
  store: SandboxStore;
  /** The merchant that signed the request. */
  mchid: string;
  /** AppIDs bound to the merchant (others answer APPID_MCHID_NOT_MATCH). */
  appids: readonly string[];
  params: Json;
  query: Json;
  headers: Record<string, string | undefined>;
  body: Json;
  /**
   * Runs a state change once per business request number (see SandboxStore.once): the scope
   * is the operation and the merchant, the fingerprint the path parameters and the body.
   */
  once(numberField: string, number: string, run: () => Reply): Reply;
  /** The sandbox's own base URL (`http://127.0.0.1:<port>`), for links it hands out. */
  origin: string;
  /** The `file` part of a multipart upload. */
  upload?: { bytes: Uint8Array; filename: string; type: string };
  /** Fires COUPON.SEND for a coupon a user just received. */
  couponSent(coupon: CouponRecord): void;
}

export type OperationHandler = (context: OperationContext) => Reply;

/** Handlers by `METHOD /path/{template}` (see operationKey). */
export type HandlerTable = Record<string, OperationHandler>;
