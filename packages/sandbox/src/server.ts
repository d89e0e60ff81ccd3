import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { type RequestLogEntry, serveApi } from "./api-http.js";
import { createAuthenticator } from "./authentication.js";
import { serveBill } from "./bills.js";
import { type CompiledDocument, compileDocument, type SentEvent } from "./compiled-document.js";
import { type ControlApi, handleControl } from "./control.js";
import { createApiCore } from "./core.js";
import { ACTION_PREFIX, handleDelivery } from "./delivery/routes.js";
import { bundledDocument, type OpenApiDocument, type SpecOperation } from "./document.js";
import { createEventSender } from "./event-sender.js";
import { FaultPlan, type FaultRule } from "./faults.js";
import { createFavorControls, type FavorControls } from "./favor-controls.js";
import { handlers as defaultHandlers, type HandlerTable } from "./handlers/index.js";
import { createSandboxServer, listen, listeningUrl } from "./http-server.js";
import { resolveIdentity } from "./identity.js";
import {
  FAVOR_RETRY_DELAYS_MS,
  type NotificationDelivery,
  Notifier,
  WECHATPAY_RETRY_DELAYS_MS,
} from "./notifications.js";
import { formatTime } from "./reply.js";
import { type IssueCouponInput, type Json, SandboxStore } from "./store.js";
import type { UnknownFieldPolicy } from "./validation.js";

export type { RequestLogEntry };

export interface SandboxOptions {
  /** TCP port on the loopback interface; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Merchant id the sandbox serves. Default 1900000001. */
  mchid?: string;
  /** Merchant API certificate serial the merchant signs with. Generated when absent. */
  serialNo?: string;
  /** Merchant private key (PKCS#8 or PKCS#1 PEM); generated (RSA-2048) when absent. */
  merchantPrivateKey?: string;
  /** Merchant public key (SPKI PEM) to check signatures with; derived from the private key when absent. */
  merchantPublicKey?: string;
  /** Platform private key the sandbox signs answers and notifications with; generated when absent. */
  platformPrivateKey?: string;
  /** `PUB_KEY_ID_…` of the WeChat Pay public key. */
  wechatpayPublicKeyId?: string;
  /**
   * Which platform scheme(s) to offer: `public-key` (default: WeChat Pay public key
   * `PUB_KEY_ID_…`), `certificate` (a generated self-signed platform certificate) or `both`.
   */
  platformKeyMode?: "public-key" | "certificate" | "both";
  /** The merchant's 32-byte APIv3 key, for notifications. Generated when absent. */
  apiV3Key?: string;
  /**
   * The merchant's APIv2 key (32 characters): the send-coupon plug-in and H5发券 are signed with
   * it (HMAC-SHA256). Generated when absent.
   */
  apiV2Key?: string;
  /** AppIDs bound to the merchant; others answer APPID_MCHID_NOT_MATCH. */
  appids?: string[];
  /**
   * Delays before each notification retry in ms. Default: WeChat Pay's 60 s, 11 sends in all for
   * merchant coupon events, 9 for cash coupon events (COUPON.USE).
   */
  notificationRetryDelaysMs?: readonly number[];
  /**
   * Where to deliver a notify URL. Default: an https URL on a loopback host (127.0.0.1,
   * localhost) is sent over plain http, since the sandbox cannot present a certificate for it.
   */
  resolveNotifyUrl?: (notifyUrl: string) => string;
  /**
   * Check every answer (and notification) against the document; an answer that breaks it is
   * replaced by a 500 and recorded in `violations`. Default: on under a test runner (Vitest sets
   * `VITEST`, Jest and others `NODE_ENV=test`), so that every test run checks the answers; off
   * otherwise.
   */
  strictResponses?: boolean;
  /**
   * A request field (body, query, a JSON query parameter) the document does not declare:
   * `refuse` (default) answers 400 PARAM_ERROR naming it, so a misspelt field is never silently
   * lost; `ignore` drops it before the handler sees the request, as the real service may.
   */
  unknownFields?: UnknownFieldPolicy;
  /** Authorization timestamps this far (or further) from now are refused. Default 300. */
  maxSkewSeconds?: number;
  /** Document to serve. Default: the bundled @wechatpay-marketing/openapi document. */
  document?: OpenApiDocument;
  /** Business handlers to add or replace, by `METHOD /path/{template}`. */
  handlers?: HandlerTable;
  /** Fetch used for notifications. Default: the global fetch. */
  fetch?: typeof fetch;
  /**
   * The secret the control API (/sandbox routes) requires in `X-Sandbox-Token`. Default: 32
   * random bytes, base64url. At least 16 characters, letters, digits, `-` and `_` only.
   */
  controlToken?: string;
  /** Called after every answer to a /v3 request (the CLI prints these). */
  onRequest?: (entry: RequestLogEntry) => void;
}

/** Exactly what createMarketingClient needs to talk to the sandbox. */
export interface SandboxClientOptions {
  mchid: string;
  serialNo: string;
  privateKey: string;
  wechatpayPublicKey?: { id: string; key: string };
  platformCertificates?: string[];
  baseUrl: string;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>`: the base URL for clients and the control API. */
  url: string;
  port: number;
  mchid: string;
  serialNo: string;
  apiV3Key: string;
  /** The merchant's APIv2 key: sign plug-in payloads and H5 links with it (./coupon-delivery). */
  apiV2Key: string;
  /**
   * `<url>/sandbox-action`, standing for https://action.weixin.qq.com: the plug-in's request
   * (`/busifavor/sendcoupon`), H5发券 (`/busifavor/getcouponinfo`, pass it as buildH5CouponUrl's
   * `baseUrl`) and a page playing the Mini Program (`/mini-program`).
   */
  actionUrl: string;
  /** Pass straight to createMarketingClient. */
  clientOptions: SandboxClientOptions;
  /**
   * The per-sandbox secret every control API request must carry in `X-Sandbox-Token`, so that
   * a web page the developer visits cannot drive the sandbox.
   */
  controlToken: string;
  /** Headers for a control API request: `Content-Type: application/json` and the token. */
  controlHeaders: { "Content-Type": "application/json"; "X-Sandbox-Token": string };
  /** Pass to parseNotification (with the client's own options for verification). */
  notificationOptions: {
    apiV3Key: string;
    wechatpayPublicKey?: { id: string; key: string };
    platformCertificates?: string[];
  };
  /** The operations of the document and whether each has a business handler. */
  operations: readonly (SpecOperation & { handled: boolean })[];
  /** Answers that did not match the document (strictResponses mode). */
  violations: string[];
  store: SandboxStore;
  /** A user receives a coupon of a stock (within its budget and per-user limit); fires COUPON.SEND. */
  issueCoupon(
    openid: string,
    input: Omit<IssueCouponInput, "openid" | "appid"> & { appid?: string },
  ): Promise<Json>;
  /**
   * The front-end coupon component (领券组件) completes a product-coupon pre-issue: the token
   * of 向用户预发放商品券 becomes the user's coupon, once; fires COUPON.SEND.
   */
  claimPreSentCoupon(token: string, input?: { openid?: string }): Promise<Json>;
  /** Moves business time forward (coupons and activities expire); signatures keep real time. */
  advanceClock(seconds: number): string;
  notifications(): readonly NotificationDelivery[];
  /** Resolves when no notification is being sent at this moment. */
  notificationsSettled(): Promise<void>;
  /** Cash coupons (代金券): a user pays with a coupon (fires COUPON.USE) or is refunded; test knobs. */
  favor: FavorControls;
  /** Consumer cards (消费卡) are made in the merchant platform: register one the API can issue. */
  registerConsumerCard(cardId: string): void;
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  /** How many times each business request number changed state, and coupon redemption counts. */
  inspect(): { requestNumbers: Record<string, number>; couponsUsedMoreThanOnce: string[] };
  close(): Promise<void>;
}

const LOOPBACK = /^https:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

function defaultResolveNotifyUrl(url: string): string {
  return LOOPBACK.test(url) ? url.replace(/^https:/, "http:") : url;
}

/** Whether a test runner runs this process: strict answers are then the default. */
export function underTestRunner(env: Record<string, string | undefined> = process.env): boolean {
  return env.VITEST !== undefined || env.NODE_ENV === "test";
}

function unknownFieldPolicy(options: SandboxOptions): UnknownFieldPolicy {
  const policy = options.unknownFields ?? "refuse";
  if (policy !== "refuse" && policy !== "ignore") {
    throw new TypeError(`unknownFields must be "refuse" or "ignore", not ${String(policy)}`);
  }
  return policy;
}

/** Strict mode for notifications: each envelope and resource checked against its webhook. */
function notificationInspector(
  events: CompiledDocument["events"],
  violations: string[],
): (envelope: unknown, resource: unknown) => void {
  return (envelope, resource) => {
    const event = (envelope as { event_type?: string }).event_type as SentEvent;
    const { checkEnvelope, checkResource } = events[event];
    const problem = checkEnvelope(envelope) ?? checkResource(resource);
    if (problem) violations.push(`${event} notification: ${problem}`);
  };
}

/**
 * Starts a sandbox on the loopback interface; resolves once it listens. Everything a request
 * meets (keys, store, controls, the API core) exists before the server listens; only the base
 * URL waits for the port, and is read from the listening server when a request needs it.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const unknownFields = unknownFieldPolicy(options);
  const compiled = compileDocument(options.document ?? bundledDocument);
  const table: HandlerTable = { ...defaultHandlers, ...options.handlers };
  const identity = await resolveIdentity(options);
  const { mchid, apiV3Key, apiV2Key, controlToken, certificate, wechatpayPublicKey } = identity;
  const appids = options.appids ?? ["wx8888888888888888"];
  const strict = options.strictResponses ?? underTestRunner();
  const host = options.host ?? "127.0.0.1";
  const violations: string[] = [];
  const store = new SandboxStore();
  const faults = new FaultPlan();
  const keys = { privateKey: identity.platformPrivateKey, signingSerial: identity.signingSerial };

  const notifier = new Notifier({
    apiV3Key,
    signingKey: () => ({ privateKey: keys.privateKey, serial: keys.signingSerial() }),
    retryDelaysMs: options.notificationRetryDelaysMs ?? WECHATPAY_RETRY_DELAYS_MS,
    resolveUrl: options.resolveNotifyUrl ?? defaultResolveNotifyUrl,
    fetch: options.fetch ?? globalThis.fetch,
    ...(strict ? { inspect: notificationInspector(compiled.events, violations) } : {}),
  });
  const events = createEventSender({ events: compiled.events, notifier, store, violations });
  const couponSent = events.couponSent;
  const favor = createFavorControls(store, mchid, ({ notifyUrl, resource }) =>
    events.notify(
      "COUPON.USE",
      notifyUrl,
      resource,
      options.notificationRetryDelaysMs ?? FAVOR_RETRY_DELAYS_MS,
    ),
  );

  // The sandbox's base URL, for the links handlers hand out: known once the server listens.
  let server: Server | undefined;
  const origin = () => (server ? listeningUrl(server, host) : "");

  const authenticate = createAuthenticator({
    mchid,
    serialNo: identity.serialNo,
    merchantPublicKey: identity.merchantPublicKey,
    maxSkewSeconds: options.maxSkewSeconds ?? 300,
  });
  const core = createApiCore({
    compiled,
    handlers: table,
    authenticate,
    faults,
    strictResponses: strict,
    unknownFields,
    violations,
    world: { store, mchid, appids, couponSent, origin },
  });

  const issueCoupon: Sandbox["issueCoupon"] = async (openid, input) => {
    const { coupon, created } = store.issueCoupon({
      ...input,
      openid,
      appid: input.appid ?? (appids[0] as string),
    });
    if (created) couponSent(coupon);
    return store.couponView(coupon);
  };
  /** The sandbox's controls, for the control API and the object startSandbox returns alike. */
  const controls = {
    mchid,
    operations: compiled.operations.map((o) => ({ ...o, handled: table[o.key] !== undefined })),
    violations,
    favor,
    issueCoupon,
    claimPreSentCoupon: async (token, input = {}) => {
      const { coupon, created } = store.claimPreSend(token, input.openid);
      if (created) couponSent(coupon);
      return store.couponView(coupon);
    },
    advanceClock: (seconds) => formatTime(store.advanceClock(seconds * 1000)),
    notifications: () => notifier.log,
    registerConsumerCard: (cardId) => {
      if (!store.consumerCards.has(cardId)) store.consumerCards.set(cardId, new Map());
    },
  } satisfies Omit<ControlApi, "baseUrl" | "faults" | "token">;
  const controlApi: ControlApi = { ...controls, faults, token: controlToken, baseUrl: origin };

  /** A flow file behind a cash coupon download link: a signed GET without a body. */
  const billContext = { store, mchid };
  const serveBillRequest = async (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const method = (request.method ?? "GET").toUpperCase();
    const url = request.url ?? "/";
    const status = await serveBill(billContext, request, response, () =>
      authenticate({ method, url, authorization: request.headers.authorization, signed: "" }),
    );
    if (status !== undefined)
      options.onRequest?.({ method, url, status, ms: performance.now() - started });
  };
  const delivery = { store, mchid, appids, apiV2Key, faults, couponSent };
  const api = { core, keys, onRequest: options.onRequest };
  const listening = createSandboxServer(
    {
      api: (request, response) => serveApi(api, request, response),
      control: (request, response) => handleControl(controlApi, request, response),
      delivery: (request, response) => handleDelivery(delivery, request, response),
      bill: serveBillRequest,
    },
    (error) =>
      violations.push(`internal error: ${error instanceof Error ? error.stack : String(error)}`),
  );
  server = listening;

  await listen(listening, options.port ?? 0, host);
  const url = origin();
  const platform = {
    ...(wechatpayPublicKey ? { wechatpayPublicKey } : {}),
    ...(certificate ? { platformCertificates: [certificate.pem] } : {}),
  };
  return {
    ...controls,
    url,
    port: Number(new URL(url).port),
    serialNo: identity.serialNo,
    apiV3Key,
    apiV2Key,
    actionUrl: `${url}${ACTION_PREFIX}`,
    clientOptions: {
      mchid,
      serialNo: identity.serialNo,
      privateKey: identity.merchantPrivateKey,
      ...platform,
      baseUrl: url,
    },
    notificationOptions: { apiV3Key, ...platform },
    store,
    controlToken,
    controlHeaders: { "Content-Type": "application/json", "X-Sandbox-Token": controlToken },
    notificationsSettled: () => notifier.idle(),
    injectFault: (rule) => {
      faults.add(rule);
    },
    clearFaults: () => faults.clear(),
    inspect: () => ({
      requestNumbers: Object.fromEntries(store.applications),
      couponsUsedMoreThanOnce: [...store.coupons.values()]
        .filter((c) => c.useCount > 1)
        .map((c) => c.coupon_code),
    }),
    async close() {
      await notifier.close();
      await new Promise<void>((resolve) => {
        listening.close(() => resolve());
        listening.closeAllConnections();
      });
    },
  };
}
