import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSignMessage, SignatureVerificationError } from "@wechatpay-marketing/signer";
import {
  parseAuthorization,
  signResponse,
  verifyAuthorization,
} from "@wechatpay-marketing/signer/server";
import { BILL_DOWNLOAD_PATH, serveBill } from "./bills.js";
import {
  bundledDocument,
  createRouter,
  listOperations,
  type OpenApiDocument,
  type SpecOperation,
} from "./document.js";
import { FaultPlan, type FaultRule } from "./faults.js";
import { createFavorControls, type FavorControls } from "./favor-controls.js";
import {
  handlers as defaultHandlers,
  type HandlerTable,
  type OperationContext,
} from "./handlers/index.js";
import {
  createPlatformCertificate,
  generateRsaKeyPair,
  publicKeyOf,
  randomSerial,
} from "./keys.js";
import {
  FAVOR_RETRY_DELAYS_MS,
  type NotificationDelivery,
  Notifier,
  WECHATPAY_RETRY_DELAYS_MS,
} from "./notifications.js";
import { BusinessError, formatTime, type Reply } from "./reply.js";
import { type CouponRecord, type IssueCouponInput, type Json, SandboxStore } from "./store.js";
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
  /** Business handlers to add or replace, by `METHOD /path/{template}`. */
  handlers?: HandlerTable;
  /** Fetch used for notifications. Default: the global fetch. */
  fetch?: typeof fetch;
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
  /** Pass straight to createMarketingClient. */
  clientOptions: SandboxClientOptions;
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

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** The parts of a multipart/form-data body, parsed by the platform's own Request.formData(). */
async function readMultipart(
  contentType: string | undefined,
  raw: Buffer,
): Promise<
  { meta: string; file?: { bytes: Uint8Array; filename: string; type: string } } | undefined
> {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
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

/** The message the server built, shown as WeChat Pay shows it in `sign_information`. */
function signInformation(method: string, url: string, header: string | undefined, body: string) {
  let timestamp = "";
  let nonce = "";
  try {
    const parts = parseAuthorization(header);
    timestamp = parts.timestamp;
    nonce = parts.nonce;
  } catch {
    // A missing or malformed header: show the message with empty timestamp and nonce.
  }
  const message = new TextDecoder().decode(buildSignMessage([method, url, timestamp, nonce, body]));
  return {
    method,
    url,
    truncated_sign_message: message.length > 256 ? `${message.slice(0, 256)}…` : message,
    sign_message_length: new TextEncoder().encode(message).length,
  };
}

const SIGN_MESSAGES: Record<string, string> = {
  "missing-header": "缺少Authorization头，签名信息不完整",
  "malformed-header": "Authorization头格式错误，签名信息不完整",
  "stale-timestamp": "签名时间戳已过期，请检查系统时间",
  "malformed-timestamp": "签名时间戳格式错误",
  "bad-signature": "签名错误",
};

/** Starts a sandbox on the loopback interface; resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const document = options.document ?? bundledDocument;
  const operations = listOperations(document);
  const router = createRouter(operations);
  const validators = compileValidators(document, operations);
  const table: HandlerTable = { ...defaultHandlers, ...options.handlers };
  const checkNotification = compileSchemaValidator(
    document,
    "#/components/schemas/BusifavorNotification",
  );
  const checkSendResource = compileSchemaValidator(
    document,
    "#/components/schemas/BusifavorCouponSendResource",
  );
  // Each event's envelope and decrypted resource, as the document describes them.
  const checkUseNotification = compileSchemaValidator(
    document,
    "#/components/schemas/FavorNotification",
  );
  const checkUseResource = compileSchemaValidator(
    document,
    "#/components/schemas/FavorCouponUseResource",
  );

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
  const appids = options.appids ?? ["wx8888888888888888"];
  const strict = options.strictResponses ?? false;
  const maxSkewSeconds = options.maxSkewSeconds ?? 300;
  const violations: string[] = [];
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
      const event = (envelope as { event_type?: string }).event_type;
      const problem =
        event === "COUPON.USE"
          ? (checkUseNotification(envelope) ?? checkUseResource(resource))
          : (checkNotification(envelope) ?? checkSendResource(resource));
      if (problem) violations.push(`${event} notification: ${problem}`);
    },
  });

  const couponSent = (coupon: CouponRecord): void => {
    const stock = store.stocks.get(coupon.stock_id);
    if (!stock) return;
    const callback = store.callbacks.get(stock.creatorMchid);
    if (!callback) return;
    // openid/unionid are only filled in when the stock names a notify AppID.
    const notifyAppid = stock.definition.notify_config?.notify_appid as string | undefined;
    const resource = {
      event_type: "EVENT_TYPE_BUSICOUPON_SEND",
      coupon_code: coupon.coupon_code,
      stock_id: coupon.stock_id,
      send_time: formatTime(coupon.receiveTime),
      ...(notifyAppid ? { openid: coupon.openid } : {}),
      send_channel: "BUSICOUPON_SEND_CHANNEL_API",
      send_merchant: stock.creatorMchid,
    };
    notifier
      .send({
        notifyUrl: callback.notify_url,
        eventType: "COUPON.SEND",
        summary: "商家券领券通知",
        originalType: "coupon",
        resource,
      })
      .catch((error: unknown) =>
        violations.push(`COUPON.SEND could not be built: ${String(error)}`),
      );
  };

  const favor = createFavorControls(store, mchid, ({ notifyUrl, resource }) => {
    notifier
      .send({
        notifyUrl,
        eventType: "COUPON.USE",
        summary: "用券成功",
        originalType: "coupon",
        resource,
        retryDelaysMs: options.notificationRetryDelaysMs ?? FAVOR_RETRY_DELAYS_MS,
      })
      .catch((error: unknown) =>
        violations.push(`COUPON.USE could not be built: ${String(error)}`),
      );
  });

  /** The merchant that signed a request (SIGN_ERROR or MCH_NOT_EXISTS otherwise). */
  const authenticate = async (method: string, url: string, authorization: string | undefined) => {
    let parts: Awaited<ReturnType<typeof verifyAuthorization>>;
    try {
      parts = await verifyAuthorization(
        { method, url, body: "", authorization },
        merchantPublicKey,
        {
          maxSkewSeconds,
        },
      );
    } catch (error) {
      const reason = error instanceof SignatureVerificationError ? error.reason : "bad-signature";
      throw new BusinessError(401, "SIGN_ERROR", SIGN_MESSAGES[reason] ?? "签名错误", {
        sign_information: signInformation(method, url, authorization, ""),
      });
    }
    if (parts.mchid !== mchid) throw new BusinessError(400, "MCH_NOT_EXISTS", "商户号不存在");
    if (parts.serialNo.toUpperCase() !== serialNo) {
      throw new BusinessError(
        401,
        "SIGN_ERROR",
        "商户证书序列号有误。请使用签名私钥匹配的证书序列号",
      );
    }
    return parts.mchid;
  };

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

  const handleApi = async (request: IncomingMessage, response: ServerResponse, raw: Buffer) => {
    const started = performance.now();
    const requestId = randomUUID().replaceAll("-", "").toUpperCase();
    const method = (request.method ?? "GET").toUpperCase();
    const url = request.url ?? "/";
    const parsed = new URL(url, "http://sandbox.invalid");
    const bodyText = raw.toString("utf8");
    const headers = request.headers as Record<string, string | undefined>;
    const match = router.match(method, parsed.pathname);
    const form = await readMultipart(headers["content-type"], raw);
    // A multipart upload is signed over its `meta` part only (图片上传(营销专用)).
    const signedBody: string | Buffer = form ? form.meta : raw;
    let fault: string | undefined;
    const reply = await (async (): Promise<Reply> => {
      if (!match) {
        return new BusinessError(
          404,
          router.pathExists(parsed.pathname) ? "METHOD_NOT_ALLOWED" : "NOT_FOUND",
          `${method} ${parsed.pathname} 不存在`,
        ).toReply();
      }
      if (!headers.accept || !headers["user-agent"]) {
        return new BusinessError(400, "INVALID_REQUEST", MISSING_HEADERS, {
          location: "header",
          field: headers.accept ? "User-Agent" : "Accept",
        }).toReply();
      }
      try {
        const parts = await verifyAuthorization(
          { method, url, body: signedBody, authorization: headers.authorization },
          merchantPublicKey,
          { maxSkewSeconds },
        );
        if (parts.mchid !== mchid) {
          return new BusinessError(400, "MCH_NOT_EXISTS", "商户号不存在", {
            field: "mchid",
            location: "header",
          }).toReply();
        }
        if (parts.serialNo.toUpperCase() !== serialNo) {
          return new BusinessError(
            401,
            "SIGN_ERROR",
            "商户证书序列号有误。请使用签名私钥匹配的证书序列号",
            {
              field: "serial_no",
              location: "header",
              sign_information: signInformation(method, url, headers.authorization, bodyText),
            },
          ).toReply();
        }
      } catch (error) {
        const reason = error instanceof SignatureVerificationError ? error.reason : "bad-signature";
        return new BusinessError(401, "SIGN_ERROR", SIGN_MESSAGES[reason] ?? "签名错误", {
          sign_information: signInformation(
            method,
            url,
            headers.authorization,
            signedBody.toString(),
          ),
        }).toReply();
      }
      const planned = faults.take(method, parsed.pathname);
      if (planned.latencyMs > 0) await new Promise((r) => setTimeout(r, planned.latencyMs));
      if (planned.fault === "rate-limit") {
        return new BusinessError(429, "FREQUENCY_LIMITED", "频率超限，请降低请求频率").toReply();
      }
      if (planned.fault === "system-error") {
        return new BusinessError(500, "SYSTEM_ERROR", "系统异常，请稍后重试").toReply();
      }
      fault = planned.fault;
      const { operation } = match;
      const handler = table[operation.key];
      if (!handler) {
        return new BusinessError(
          501,
          "NOT_IMPLEMENTED",
          `沙箱尚未实现该接口: ${operation.operationId} (${operation.key})`,
          { field: operation.operationId, issue: `no business handler for ${operation.key}` },
        ).toReply();
      }
      let body: unknown;
      if (form) {
        try {
          body = { meta: JSON.parse(form.meta), ...(form.file ? { file: "(binary)" } : {}) };
        } catch {
          return new BusinessError(400, "PARAM_ERROR", "meta 不是合法的JSON", {
            field: "/meta",
            location: "body",
            issue: "the meta part is not valid JSON",
          }).toReply();
        }
      } else if (bodyText.length > 0) {
        try {
          body = JSON.parse(bodyText);
        } catch {
          return new BusinessError(400, "PARAM_ERROR", "请求包体不是合法的JSON", {
            field: "/",
            location: "body",
            issue: "body is not valid JSON",
          }).toReply();
        }
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
      const context: OperationContext = {
        operation,
        store,
        mchid,
        appids,
        params: checked?.ok ? checked.params : match.params,
        query: checked?.ok ? checked.query : {},
        headers,
        body: (body ?? {}) as Json,
        once: (field, number, run) =>
          store.once(
            `${operation.key}|${mchid}|${field}`,
            number,
            { params: match.params, body },
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
    let answer = reply;
    if (strict && match && reply.status !== 501) {
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
    await send(response, answer, { serial: headers["wechatpay-serial"], fault, requestId } as {
      serial?: string;
      fault?: string;
      requestId: string;
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

  const sandbox = {} as Sandbox;
  const { handleControl } = await import("./control.js");
  const server = createServer((request, response) => {
    readBody(request)
      .then((raw) => {
        const pathname = (request.url ?? "/").split("?")[0] ?? "/";
        if (pathname === "/sandbox" || pathname.startsWith("/sandbox/")) {
          return handleControl(sandbox, request, response, raw);
        }
        if (pathname === BILL_DOWNLOAD_PATH) {
          const started = performance.now();
          return serveBill(store, request, response, authenticate).then((status) =>
            options.onRequest?.({
              method: request.method ?? "GET",
              url: request.url ?? "/",
              status,
              ms: performance.now() - started,
            }),
          );
        }
        return handleApi(request, response, raw);
      })
      .catch((error: unknown) => {
        violations.push(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
        if (!response.headersSent) response.writeHead(500, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ code: "SYSTEM_ERROR", message: "sandbox internal error" }));
      });
  });
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

  Object.assign(sandbox, {
    url,
    port,
    mchid,
    serialNo,
    apiV3Key,
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
    operations: operations.map((o) => ({ ...o, handled: o.key in table })),
    violations,
    store,
    issueCoupon: async (openid, input) => issueCoupon(openid, input),
    favor,
    advanceClock: (seconds) => formatTime(store.advanceClock(seconds * 1000)),
    notifications: () => notifier.log,
    notificationsSettled: () => notifier.idle(),
    registerConsumerCard: (cardId) => {
      if (!store.consumerCards.has(cardId)) store.consumerCards.set(cardId, new Map());
    },
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
  } satisfies Sandbox);
  Object.defineProperty(sandbox, "faults", { value: faults, enumerable: false });
  return sandbox;
}
