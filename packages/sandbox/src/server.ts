import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type EventTable, type EventType, webhooks } from "@wechatpay-marketing/openapi";
import { signResponse } from "@wechatpay-marketing/signer/server";
import { createAuthenticator, MALFORMED_AUTHORIZATION } from "./authentication.js";
import { BILL_DOWNLOAD_PATH, serveBill } from "./bills.js";
import { type ControlApi, handleControl } from "./control.js";
import type { SendChannel } from "./delivery/issue.js";
import { ACTION_PREFIX, handleDelivery } from "./delivery/routes.js";
import {
  bundledDocument,
  listOperations,
  type OpenApiDocument,
  type SpecOperation,
} from "./document.js";
import { FaultPlan, type FaultRule } from "./faults.js";
import { createFavorControls, type FavorControls } from "./favor-controls.js";
import {
  handlers as defaultHandlers,
  type HandlerOverrides,
  type ValidatedContext,
  validatedHandler,
} from "./handlers/index.js";
import type { Schema } from "./handlers/operation-types.js";
import {
  createPlatformCertificate,
  generateRsaKeyPair,
  publicKeyOf,
  randomSerial,
} from "./keys.js";
import {
  closeAfterAnswer,
  hasBody,
  JsonInputError,
  LIMITS,
  mediaType,
  parseRequestJson,
  readBody,
} from "./limits.js";
import {
  FAVOR_RETRY_DELAYS_MS,
  type NotificationDelivery,
  Notifier,
  WECHATPAY_RETRY_DELAYS_MS,
} from "./notifications.js";
import { BusinessError, formatTime, type Reply } from "./reply.js";
import { createRouter } from "./router.js";
import {
  type CouponRecord,
  type IssueCouponInput,
  SandboxStore,
  type UserCouponView,
} from "./store.js";
import { compileSchemaValidator, compileValidators } from "./validation.js";

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
  /** Check every answer against its operation's response schema; answer 500 and record a violation when it fails. */
  strictResponses?: boolean;
  /** Authorization timestamps this far (or further) from now are refused. Default 300. */
  maxSkewSeconds?: number;
  /** Document to serve. Default: the bundled @wechatpay-marketing/openapi document. */
  document?: OpenApiDocument;
  /** Business handlers to add or replace, by operationId (typed by the bundled document). */
  handlers?: HandlerOverrides;
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

export interface RequestLogEntry {
  method: string;
  url: string;
  operationId?: string;
  status: number;
  code?: string;
  ms: number;
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
  ): Promise<UserCouponView>;
  /**
   * The front-end coupon component (领券组件) completes a product-coupon pre-issue: the token
   * of 向用户预发放商品券 becomes the user's coupon, once; fires COUPON.SEND.
   */
  claimPreSentCoupon(token: string, input?: { openid?: string }): Promise<UserCouponView>;
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
const MISSING_HEADERS = "HTTP头缺少Accept或User-Agent";

function defaultResolveNotifyUrl(url: string): string {
  return LOOPBACK.test(url) ? url.replace(/^https:/, "http:") : url;
}

/** The parts of a multipart/form-data body, parsed by the platform's own Request.formData(). */
async function readMultipart(
  contentType: string,
  raw: Buffer,
): Promise<{ meta: string; file?: { bytes: Uint8Array; filename: string; type: string } }> {
  try {
    const form = await new Request("http://sandbox.invalid/", {
      method: "POST",
      headers: { "Content-Type": contentType },
      body: new Uint8Array(raw),
    }).formData();
    const meta = form.get("meta");
    const file = form.get("file");
    return {
      meta: typeof meta === "string" ? meta : "",
      ...(file && typeof file !== "string"
        ? {
            file: {
              bytes: new Uint8Array(await file.arrayBuffer()),
              filename: file.name,
              type: file.type,
            },
          }
        : {}),
    };
  } catch {
    return { meta: "" };
  }
}

/** The events the sandbox sends (typed by the document's webhooks), and when. */
const SENT_EVENTS = {
  "COUPON.SEND": "when a user receives a merchant coupon",
  "COUPON.USE": "when a user pays with a cash coupon",
} as const satisfies Partial<Record<EventType, string>>;
type SentEvent = keyof typeof SENT_EVENTS;

/** What a sandbox derives from its document: routes and compiled schemas, pure functions of it. */
const compiledDocuments = new WeakMap<OpenApiDocument, ReturnType<typeof compileDocumentOnce>>();

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

function compileDocumentOnce(document: OpenApiDocument) {
  const operations = listOperations(document);
  const events = Object.fromEntries(
    Object.keys(SENT_EVENTS).map((e) => [e, compileEvent(document, e as SentEvent)]),
  ) as Record<SentEvent, ReturnType<typeof compileEvent>>;
  return {
    operations,
    router: createRouter(operations),
    validators: compileValidators(document, operations),
    events,
  };
}

/** Compiling the document's schemas is most of a start-up; sandboxes of one document share it. */
function compileDocument(document: OpenApiDocument) {
  let compiled = compiledDocuments.get(document);
  if (!compiled) {
    compiled = compileDocumentOnce(document);
    compiledDocuments.set(document, compiled);
  }
  return compiled;
}

/** Starts a sandbox on the loopback interface; resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const document = options.document ?? bundledDocument;
  const { operations, router, validators, events } = compileDocument(document);
  const table: HandlerOverrides = { ...defaultHandlers, ...options.handlers };

  const mchid = options.mchid ?? "1900000001";
  const serialNo = (options.serialNo ?? randomSerial()).toUpperCase();
  const merchantPrivateKey = options.merchantPrivateKey ?? generateRsaKeyPair().privateKey;
  const merchantPublicKey = options.merchantPublicKey ?? publicKeyOf(merchantPrivateKey);
  const platformPrivateKey = options.platformPrivateKey ?? generateRsaKeyPair().privateKey;
  const platformPublicKey = publicKeyOf(platformPrivateKey);
  const mode = options.platformKeyMode ?? "public-key";
  const publicKeyId =
    options.wechatpayPublicKeyId ??
    `PUB_KEY_ID_01${mchid}${Date.now().toString().slice(-10)}00000000`;
  const certificate =
    mode === "public-key"
      ? undefined
      : await createPlatformCertificate(
          { privateKey: platformPrivateKey, publicKey: platformPublicKey },
          { mchid },
        );
  const apiV3Key = options.apiV3Key ?? randomBytes(16).toString("hex");
  if (Buffer.byteLength(apiV3Key) !== 32) throw new TypeError("apiV3Key must be 32 bytes");
  const apiV2Key = options.apiV2Key ?? randomBytes(24).toString("base64url");
  if (!/^[\x21-\x7e]{32}$/.test(apiV2Key)) {
    throw new TypeError("apiV2Key must be 32 printable ASCII characters");
  }
  const appids = options.appids ?? ["wx8888888888888888"];
  const strict = options.strictResponses ?? false;
  const maxSkewSeconds = options.maxSkewSeconds ?? 300;
  const controlToken = options.controlToken ?? randomBytes(32).toString("base64url");
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(controlToken)) {
    // The value is a secret: the message names the option, never echoes it.
    throw new TypeError(
      "controlToken must be 16 to 256 characters of letters, digits, '-' and '_'",
    );
  }
  const violations: string[] = [];
  const authenticate = createAuthenticator({ mchid, serialNo, merchantPublicKey, maxSkewSeconds });
  const store = new SandboxStore();
  const faults = new FaultPlan();
  const wechatpayPublicKey =
    mode === "certificate" ? undefined : { id: publicKeyId, key: platformPublicKey };

  /** WeChat Pay signs with the key the request's Wechatpay-Serial names, if it has it. */
  const signingSerial = (requested?: string): string => {
    if (!certificate) return publicKeyId;
    if (mode === "certificate") return certificate.serial;
    return requested?.toUpperCase() === certificate.serial ? certificate.serial : publicKeyId;
  };

  const notifier = new Notifier({
    apiV3Key,
    signingKey: () => ({ privateKey: platformPrivateKey, serial: signingSerial() }),
    retryDelaysMs: options.notificationRetryDelaysMs ?? WECHATPAY_RETRY_DELAYS_MS,
    resolveUrl: options.resolveNotifyUrl ?? defaultResolveNotifyUrl,
    fetch: options.fetch ?? globalThis.fetch,
    inspect(envelope, resource) {
      if (!strict) return;
      const event = (envelope as { event_type?: string }).event_type as SentEvent;
      const { checkEnvelope, checkResource } = events[event];
      const problem = checkEnvelope(envelope) ?? checkResource(resource);
      if (problem) violations.push(`${event} notification: ${problem}`);
    },
  });

  /** Sends an event with the summary and original type its webhook names in the document. */
  const notify = <E extends SentEvent>(
    eventType: E,
    notifyUrl: string,
    resource: Schema<EventTable[E]["resourceSchema"]>,
    retryDelaysMs?: readonly number[],
  ): void => {
    const { facts } = events[eventType];
    notifier
      .send({
        notifyUrl,
        eventType,
        summary: facts.summary,
        originalType: facts.originalType,
        resource,
        retryDelaysMs,
      })
      .catch((error: unknown) =>
        violations.push(`${eventType} could not be built: ${String(error)}`),
      );
  };

  const couponSent = (
    coupon: CouponRecord,
    channel: SendChannel | "BUSICOUPON_SEND_CHANNEL_API" = "BUSICOUPON_SEND_CHANNEL_API",
  ): void => {
    const stock = store.stocks.get(coupon.stock_id);
    if (!stock) return;
    const callback = store.callbacks.get(stock.creatorMchid);
    if (!callback) return;
    // openid/unionid are only filled in when the stock names a notify AppID.
    const notifyAppid = stock.definition.notify_config?.notify_appid;
    const resource = {
      event_type: "EVENT_TYPE_BUSICOUPON_SEND" as const,
      coupon_code: coupon.coupon_code,
      stock_id: coupon.stock_id,
      send_time: formatTime(coupon.receiveTime),
      ...(notifyAppid ? { openid: coupon.openid } : {}),
      send_channel: channel,
      send_merchant: stock.creatorMchid,
    };
    notify("COUPON.SEND", callback.notify_url, resource);
  };

  const favor = createFavorControls(store, mchid, ({ notifyUrl, resource }) =>
    notify(
      "COUPON.USE",
      notifyUrl,
      resource,
      options.notificationRetryDelaysMs ?? FAVOR_RETRY_DELAYS_MS,
    ),
  );

  // The sandbox's base URL, known once it listens: handlers put it in the links they hand out.
  let origin = "";

  const issueCoupon = (
    openid: string,
    input: Omit<IssueCouponInput, "openid" | "appid"> & { appid?: string },
  ) => {
    const { coupon, created } = store.issueCoupon({
      ...input,
      openid,
      appid: input.appid ?? (appids[0] as string),
    });
    if (created) couponSent(coupon);
    return store.couponView(coupon);
  };

  const send = async (
    response: ServerResponse,
    reply: Reply,
    extra: { serial?: string; fault?: string; requestId: string },
  ) => {
    const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
    const headers = await signResponse({
      body: text,
      privateKey: platformPrivateKey,
      serial: signingSerial(extra.serial),
    });
    if (extra.fault === "tampered-signature") {
      const bytes = Buffer.from(headers["Wechatpay-Signature"] as string, "base64");
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
      headers["Wechatpay-Signature"] = bytes.toString("base64");
    } else if (extra.fault === "probe-signature") {
      headers["Wechatpay-Signature"] = `WECHATPAY/SIGNTEST/${randomBytes(32).toString("base64")}`;
    }
    response.writeHead(reply.status, {
      ...(text ? { "Content-Type": "application/json; charset=utf-8" } : {}),
      "Request-ID": extra.requestId,
      ...headers,
    });
    response.end(text);
  };

  /** The refusals that need neither the body nor the signature: route, headers and sizes. */
  const refuseUnread = (
    request: IncomingMessage,
    method: string,
    pathname: string,
    match: ReturnType<typeof router.match>,
  ): Reply | undefined => {
    const headers = request.headers;
    if (!match) {
      return new BusinessError(
        404,
        router.pathExists(pathname) ? "METHOD_NOT_ALLOWED" : "NOT_FOUND",
        `${method} ${pathname} 不存在`,
      ).toReply();
    }
    if (!headers.accept || !headers["user-agent"]) {
      return new BusinessError(400, "INVALID_REQUEST", MISSING_HEADERS, {
        location: "header",
        field: headers.accept ? "User-Agent" : "Accept",
      }).toReply();
    }
    if ((headers.authorization?.length ?? 0) > LIMITS.authorizationChars) {
      return new BusinessError(401, "SIGN_ERROR", MALFORMED_AUTHORIZATION, {
        field: "Authorization",
        location: "header",
        issue: `longer than ${LIMITS.authorizationChars} characters`,
      }).toReply();
    }
    const expected = validators.get(match.operation.key)?.mediaType ?? "application/json";
    if (hasBody(request) && mediaType(headers["content-type"]) !== expected) {
      // WeChat Pay's rule: every request body is JSON, the image upload's is multipart.
      return new BusinessError(400, "INVALID_REQUEST", `Content-Type必须为${expected}`, {
        field: "Content-Type",
        location: "header",
        issue: `a body of ${match.operation.operationId} must be sent as ${expected}`,
      }).toReply();
    }
    return undefined;
  };

  const tooLarge = (upload: boolean): Reply =>
    upload
      ? // The document's answer for an image past 2 MB (图片上传(营销专用)).
        new BusinessError(400, "INVALID_REQUEST", "图片大小不能超过2M", {
          field: "/file",
          location: "body",
          issue: `the request has more than ${LIMITS.uploadBodyBytes} bytes`,
        }).toReply()
      : new BusinessError(413, "INVALID_REQUEST", "请求包体过大，不能超过1MB", {
          location: "body",
          issue: `the body has more than ${LIMITS.jsonBodyBytes} bytes`,
        }).toReply();

  const jsonProblem = (error: unknown, field: string): Reply => {
    if (error instanceof JsonInputError && error.problem === "too-deep") {
      return new BusinessError(400, "PARAM_ERROR", `JSON嵌套不能超过${LIMITS.jsonDepth}层`, {
        field,
        location: "body",
        issue: `nests arrays and objects deeper than ${LIMITS.jsonDepth} levels`,
      }).toReply();
    }
    return new BusinessError(
      400,
      "PARAM_ERROR",
      field === "/meta" ? "meta 不是合法的JSON" : "请求包体不是合法的JSON",
      {
        field,
        location: "body",
        issue: field === "/meta" ? "the meta part is not valid JSON" : "body is not valid JSON",
      },
    ).toReply();
  };

  const handleApi = async (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID().replaceAll("-", "").toUpperCase();
    const method = (request.method ?? "GET").toUpperCase();
    const url = request.url ?? "/";
    const parsed = new URL(url, "http://sandbox.invalid");
    const headers = request.headers as Record<string, string | undefined>;
    const match = router.match(method, parsed.pathname);
    let fault: string | undefined;
    // Answers of the transport (sizes, media types) are not business answers of the document.
    let transport = false;
    const reply = await (async (): Promise<Reply | undefined> => {
      const refused = refuseUnread(request, method, parsed.pathname, match);
      if (refused || !match) {
        transport = true;
        return refused;
      }
      const { operation } = match;
      const upload = validators.get(operation.key)?.mediaType === "multipart/form-data";
      const read = await readBody(request, upload ? LIMITS.uploadBodyBytes : LIMITS.jsonBodyBytes);
      if (!read.ok) {
        transport = true;
        // An aborted request has no one left to answer.
        return read.reason === "aborted" ? undefined : tooLarge(upload);
      }
      const raw = read.body;
      const bodyText = raw.toString("utf8");
      const form =
        upload && raw.length > 0
          ? await readMultipart(headers["content-type"] ?? "", raw)
          : undefined;
      // A multipart upload is signed over its `meta` part only (图片上传(营销专用)).
      const signedBody: string | Buffer = form ? form.meta : raw;
      const unsigned = await authenticate({
        method,
        url,
        authorization: headers.authorization,
        signed: signedBody,
      });
      if (unsigned) return unsigned;
      const planned = faults.take(method, parsed.pathname);
      if (planned.latencyMs > 0) await new Promise((r) => setTimeout(r, planned.latencyMs));
      if (planned.fault === "rate-limit") {
        return new BusinessError(429, "FREQUENCY_LIMITED", "频率超限，请降低请求频率").toReply();
      }
      if (planned.fault === "system-error") {
        return new BusinessError(500, "SYSTEM_ERROR", "系统异常，请稍后重试").toReply();
      }
      fault = planned.fault;
      const handler = validatedHandler(table, operation.operationId);
      if (!handler) {
        return new BusinessError(
          501,
          "NOT_IMPLEMENTED",
          `沙箱尚未实现该接口: ${operation.operationId} (${operation.key})`,
          { field: operation.operationId, issue: `no business handler for ${operation.key}` },
        ).toReply();
      }
      let body: unknown;
      try {
        if (form) {
          body = { meta: parseRequestJson(form.meta), ...(form.file ? { file: "(binary)" } : {}) };
        } else if (bodyText.length > 0) {
          body = parseRequestJson(bodyText);
        }
      } catch (error) {
        return jsonProblem(error, form ? "/meta" : "/");
      }
      const validator = validators.get(operation.key);
      const checked = validator?.request({
        params: match.params,
        query: parsed.searchParams,
        headers,
        body,
        hasBody: form !== undefined || bodyText.length > 0,
      });
      if (checked && !checked.ok) {
        const { issue } = checked;
        return new BusinessError(
          400,
          "PARAM_ERROR",
          `参数错误: ${issue.field} ${issue.issue}`,
          issue,
        ).toReply();
      }
      // Handlers see only the fields the document declares (see known-fields.ts).
      const known = checked?.ok ? checked.body : body;
      const context: ValidatedContext = {
        operation,
        store,
        mchid,
        appids,
        params: checked?.ok ? checked.params : match.params,
        query: checked?.ok ? checked.query : {},
        headers,
        body: known ?? {},
        once: (field, number, run) =>
          store.once(
            `${operation.key}|${mchid}|${field}`,
            number,
            { params: match.params, body: known },
            run,
          ),
        couponSent,
        origin,
        ...(form?.file ? { upload: form.file } : {}),
      };
      try {
        return handler(context);
      } catch (error) {
        if (error instanceof BusinessError) return error.toReply();
        violations.push(
          `${operation.operationId} threw: ${error instanceof Error ? error.stack : String(error)}`,
        );
        return new BusinessError(500, "SYSTEM_ERROR", "系统异常，请稍后重试").toReply();
      }
    })();
    if (!reply) return;
    let answer = reply;
    if (strict && match && !transport && reply.status !== 501) {
      const problem = validators.get(match.operation.key)?.response(reply.status, reply.body);
      if (problem) {
        violations.push(problem);
        answer = new BusinessError(
          500,
          "SYSTEM_ERROR",
          `sandbox answer violates the document: ${problem}`,
        ).toReply();
      }
    }
    closeAfterAnswer(request, response);
    await send(response, answer, {
      requestId,
      ...(fault ? { fault } : {}),
      ...(headers["wechatpay-serial"] ? { serial: headers["wechatpay-serial"] } : {}),
    });
    options.onRequest?.({
      method,
      url,
      ...(match ? { operationId: match.operation.operationId } : {}),
      status: answer.status,
      ...(answer.status >= 400
        ? { code: (answer.body as { code?: string } | undefined)?.code ?? "" }
        : {}),
      ms: performance.now() - started,
    });
  };

  /** A flow file behind a cash coupon download link: a signed GET without a body. */
  const handleBill = async (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const method = (request.method ?? "GET").toUpperCase();
    const url = request.url ?? "/";
    const status = await serveBill({ store, mchid }, request, response, () =>
      authenticate({ method, url, authorization: request.headers.authorization, signed: "" }),
    );
    if (status !== undefined)
      options.onRequest?.({ method, url, status, ms: performance.now() - started });
  };

  const served = operations.map((o) => ({
    ...o,
    handled: validatedHandler(table, o.operationId) !== undefined,
  }));
  /** The sandbox's controls, for the control API and the object startSandbox returns alike. */
  const controls = {
    mchid,
    operations: served,
    violations,
    favor,
    issueCoupon: async (openid, input) => issueCoupon(openid, input),
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
  const controlApi: ControlApi = {
    ...controls,
    faults,
    token: controlToken,
    baseUrl: () => origin,
  };
  const server = createServer(
    {
      maxHeaderSize: LIMITS.headerBytes,
      requestTimeout: LIMITS.requestTimeoutMs,
      headersTimeout: LIMITS.headersTimeoutMs,
    },
    (request, response) => {
      const pathname = (request.url ?? "/").split("?")[0] ?? "/";
      const handled = pathname.startsWith(`${ACTION_PREFIX}/`)
        ? handleDelivery({ store, mchid, appids, apiV2Key, faults, couponSent }, request, response)
        : pathname === "/sandbox" || pathname.startsWith("/sandbox/")
          ? handleControl(controlApi, request, response)
          : pathname === BILL_DOWNLOAD_PATH
            ? handleBill(request, response)
            : handleApi(request, response);
      handled.catch((error: unknown) => {
        violations.push(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
        if (!response.headersSent) response.writeHead(500, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ code: "SYSTEM_ERROR", message: "sandbox internal error" }));
      });
    },
  );
  server.keepAliveTimeout = 5000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  origin = url;

  const sandbox: Sandbox = {
    ...controls,
    url,
    port,
    serialNo,
    apiV3Key,
    apiV2Key,
    actionUrl: `${url}${ACTION_PREFIX}`,
    clientOptions: {
      mchid,
      serialNo,
      privateKey: merchantPrivateKey,
      ...(wechatpayPublicKey ? { wechatpayPublicKey } : {}),
      ...(certificate ? { platformCertificates: [certificate.pem] } : {}),
      baseUrl: url,
    },
    notificationOptions: {
      apiV3Key,
      ...(wechatpayPublicKey ? { wechatpayPublicKey } : {}),
      ...(certificate ? { platformCertificates: [certificate.pem] } : {}),
    },
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
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return sandbox;
}
