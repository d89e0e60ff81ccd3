import {
  ConfigError,
  createMerchantCredentials,
  type FetchLike,
  type ResponseLike,
  type SignerOptions,
} from "@wechatpay-marketing/signer";
import { buildImageUpload } from "@wechatpay-marketing/signer/media";
import { createSignerMiddleware } from "@wechatpay-marketing/signer/middleware";
import createClient, { type ClientOptions, type Middleware } from "openapi-fetch";
import { DEFAULT_BASE_URL } from "./base-url.js";
import { type BillFile, type BillLink, downloadBill } from "./bills.js";
import { type CallSettings, createCall, timeoutOf } from "./call.js";
import { backupFor } from "./failover.js";
import type { paths } from "./generated/marketing.gen.js";
import type { CallLogger } from "./logging.js";
import type {
  MarketingMethod,
  MarketingRequest,
  MarketingResponse,
  StrictMarketingMethod,
  StrictMarketingRequest,
  StrictResponse,
} from "./methods.js";
import { createPaginate, type MarketingPaginate, type PageGetter } from "./paginate.js";
import { serializeQuery } from "./query.js";
import { DEFAULT_RETRY, type RetryOptions, retryPolicy } from "./retry.js";
import { answerOrThrow } from "./strict.js";
import { DEFAULT_TIMEOUT_MS } from "./timeout.js";

export { DEFAULT_BASE_URL };

export interface MarketingClientOptions extends SignerOptions {
  /** Default `https://api.mch.weixin.qq.com`. Point it at the sandbox for offline work. */
  baseUrl?: string | undefined;
  /**
   * The fetch to send requests with (default: the global fetch), called as openapi-fetch calls
   * it: with a Request. Whatever class of Response it resolves to (npm undici's, node-fetch's)
   * is verified, and the call answers with a Response holding exactly the verified bytes.
   */
  fetch?: FetchLike | undefined;
  /** Extra headers sent with every request: HTTP token names, printable ASCII values. */
  headers?: ClientOptions["headers"] | undefined;
  /**
   * Where a retryable call goes when `baseUrl` cannot be reached (refused, DNS, unreachable):
   * default `https://api2.mch.weixin.qq.com` when `baseUrl` is the primary host, none otherwise;
   * `false` turns failover off.
   */
  backupBaseUrl?: string | false | undefined;
  /**
   * Retries of reads and of writes whose business number the call carries, after a network
   * failure, a timeout, 429 or 5xx (default `{ retries: 2, baseDelayMs: 200, maxDelayMs: 5000 }`);
   * `false` sends every call once. Each call may override it with its own `retry`.
   */
  retry?: RetryOptions | false | undefined;
  /** Each attempt's timeout in ms (default 10 000), or `false`; each call may set its own. */
  timeout?: number | false | undefined;
  /** Sees every attempt: method, path template, status, latency, Request-ID, error code; no secret. */
  onLog?: CallLogger | undefined;
  /**
   * `true`: calls resolve only to 2xx answers (`data` is never optional) and reject with ApiError
   * for any other; the client is a `StrictMarketingClient`.
   */
  throwOnError?: boolean | undefined;
}

type ImageUpload = paths["/v3/marketing/favor/media/image-upload"]["post"];

/** What `uploadImage` resolves to: the same result as any call of POST /v3/marketing/favor/media/image-upload. */
export type ImageUploadResult = MarketingResponse<ImageUpload>;

/** What both styles of client share. */
interface MarketingClientBase {
  /** Registers openapi-fetch middleware, run after the signer's. */
  use(...middleware: Middleware[]): void;
  /** Unregisters middleware registered with `use`. */
  eject(...middleware: Middleware[]): void;
  /**
   * Downloads the file of a cash coupon flow link (下载批次核销明细 / 退款明细, and the by-day links):
   * a signed GET of `url`, then its SHA-1 checked against the link's hash. Rejects with
   * BillDownloadError when they differ (or the link is not WeChat Pay's), ApiError on a non-2xx.
   */
  downloadBill(link: BillLink, options?: { signal?: AbortSignal }): Promise<BillFile>;
  /**
   * Every item of a paged list (`for await (const coupon of client.paginate(path, { params }))`),
   * one signed GET per page as the list's `x-pagination` says: `pageSize` at most the documented
   * maximum, offset by page or by item, a stop at `total_count` or an empty page. An error answer
   * rejects with ApiError; `signal` aborts. Only the document's offset/limit lists compile. Each
   * page is retried like any read.
   */
  paginate: MarketingPaginate;
}

/**
 * openapi-fetch's client over every marketing path, signing and verifying every call. The verbs are
 * openapi-fetch's own functions; their parameters are typed by the operation the URL names, so an
 * unknown key in a body, query, path or header object does not compile (see methods.ts).
 */
export interface MarketingClient extends MarketingClientBase {
  GET: MarketingMethod<"get">;
  PUT: MarketingMethod<"put">;
  POST: MarketingMethod<"post">;
  DELETE: MarketingMethod<"delete">;
  OPTIONS: MarketingMethod<"options">;
  HEAD: MarketingMethod<"head">;
  PATCH: MarketingMethod<"patch">;
  TRACE: MarketingMethod<"trace">;
  request: MarketingRequest;
  /**
   * Uploads a JPG, BMP or PNG (≤ 2 MB) for use as `merchant_logo_url` and the like: builds the
   * multipart body with its `meta` ({ filename, sha256 }) and signs over that meta as sent.
   * Never retried: the upload names no business number.
   */
  uploadImage(file: Uint8Array | ArrayBuffer | Blob, filename: string): Promise<ImageUploadResult>;
}

/**
 * The throwing style (`throwOnError: true`): every verb resolves to `{ data, response, attempts }`
 * of a 2xx answer, `data` never optional, and rejects with ApiError for any other answer.
 */
export interface StrictMarketingClient extends MarketingClientBase {
  GET: StrictMarketingMethod<"get">;
  PUT: StrictMarketingMethod<"put">;
  POST: StrictMarketingMethod<"post">;
  DELETE: StrictMarketingMethod<"delete">;
  OPTIONS: StrictMarketingMethod<"options">;
  HEAD: StrictMarketingMethod<"head">;
  PATCH: StrictMarketingMethod<"patch">;
  TRACE: StrictMarketingMethod<"trace">;
  request: StrictMarketingRequest;
  /** `MarketingClient.uploadImage`, rejecting with ApiError for a non-2xx answer. */
  uploadImage(
    file: Uint8Array | ArrayBuffer | Blob,
    filename: string,
  ): Promise<StrictResponse<ImageUpload>>;
}

// What fetch accepts without a TypeError, which would echo the value: RFC 9110 token names,
// printable ASCII values without surrounding spaces.
const HEADER_NAME = /^[!#$%&'*+.^_`|~\w-]+$/;
const HEADER_VALUE = /^([!-~]([ -~]*[!-~])?)?$/;

/** ConfigError naming `option` unless `url` is an http(s) URL. */
function checkUrl(url: unknown, option: string): void {
  if (!(typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) && URL.canParse(url))) {
    throw new ConfigError(option, "must be an http(s) URL");
  }
}

/** The settings of every call (retries, timeout, failover, log), each option checked. */
function callSettings(options: MarketingClientOptions, baseUrl: string): CallSettings {
  const { backupBaseUrl, retry, timeout, onLog, throwOnError } = options;
  if (backupBaseUrl !== undefined && backupBaseUrl !== false)
    checkUrl(backupBaseUrl, "backupBaseUrl");
  if (onLog !== undefined && typeof onLog !== "function") {
    throw new ConfigError("onLog", "must be a function");
  }
  if (throwOnError !== undefined && typeof throwOnError !== "boolean") {
    throw new ConfigError("throwOnError", "must be a boolean");
  }
  return {
    retry: retryPolicy(retry, DEFAULT_RETRY, "retry"),
    timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : timeoutOf(timeout, "timeout"),
    baseUrl,
    backupBaseUrl: backupFor(backupBaseUrl, baseUrl),
    onLog,
  };
}

/** ConfigError naming `baseUrl` or `headers.<name>`, never the value, for what fetch refuses. */
function checkRequestOptions(baseUrl: unknown, headers: MarketingClientOptions["headers"]): void {
  checkUrl(baseUrl, "baseUrl");
  if (headers === undefined || headers instanceof Headers) return; // a Headers holds only valid ones
  if (typeof headers !== "object" || headers === null) {
    throw new ConfigError("headers", "must be a Headers, a record or [name, value] pairs");
  }
  const entries: unknown[] = Array.isArray(headers) ? headers : Object.entries(headers);
  for (const entry of entries) {
    const [name, value] = Array.isArray(entry) && entry.length === 2 ? entry : [];
    if (typeof name !== "string" || !HEADER_NAME.test(name)) {
      throw new ConfigError("headers", "has a name that is not an HTTP token");
    }
    for (const item of [value].flat()) {
      if (item != null && !HEADER_VALUE.test(String(item))) {
        throw new ConfigError(`headers.${name}`, "must be printable ASCII");
      }
    }
  }
}

const VERBS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/**
 * Creates the typed client. Options are validated here, synchronously: a bad key, serial, mchid,
 * URL, header, retry or timeout throws a `ConfigError` naming the option before any request is made.
 */
export function createMarketingClient(
  options: MarketingClientOptions & { throwOnError: true },
): StrictMarketingClient;
export function createMarketingClient(
  options: MarketingClientOptions & { throwOnError?: false | undefined },
): MarketingClient;
export function createMarketingClient(
  options: MarketingClientOptions,
): MarketingClient | StrictMarketingClient;
export function createMarketingClient(
  options: MarketingClientOptions,
): MarketingClient | StrictMarketingClient {
  const {
    baseUrl = DEFAULT_BASE_URL,
    fetch,
    headers,
    backupBaseUrl: _backup,
    retry: _retry,
    timeout: _timeout,
    onLog: _onLog,
    throwOnError,
    ...signerOptions
  } = options;
  checkRequestOptions(baseUrl, headers);
  if (fetch !== undefined && typeof fetch !== "function") {
    throw new ConfigError("fetch", "must be a function");
  }
  const primary = baseUrl.replace(/\/+$/, "");
  const settings = callSettings(options, primary);
  const client = createClient<paths>({
    baseUrl: primary,
    querySerializer: serializeQuery,
    // Any Response class: the signer middleware hands openapi-fetch one of this realm.
    ...(fetch ? { fetch: fetch as unknown as NonNullable<ClientOptions["fetch"]> } : {}),
    // openapi-fetch reads a Headers or a record; [name, value] pairs become a Headers.
    ...(headers ? { headers: Array.isArray(headers) ? new Headers(headers) : headers } : {}),
  });
  // One set of credentials (keys imported once) for the middleware and the bill downloads.
  const credentials = createMerchantCredentials(signerOptions);
  client.use(createSignerMiddleware(credentials));
  // Called as openapi-fetch calls it, with a Request; any Response class (bills.ts reads it so).
  const send = (fetch ?? globalThis.fetch) as unknown as (
    request: Request,
  ) => Promise<ResponseLike>;
  // Every verb runs through one call loop (call.ts) over openapi-fetch's own request function.
  const call = createCall(client.request as unknown as Parameters<typeof createCall>[0], settings);
  type Init = Parameters<typeof call>[2];
  const verb = throwOnError
    ? (method: string) => (url: string, init?: Init) => call(method, url, init).then(answerOrThrow)
    : (method: string) => (url: string, init?: Init) => call(method, url, init);
  const verbs = Object.fromEntries(VERBS.map((method) => [method, verb(method)]));
  const marketing = Object.assign(client, verbs, {
    request: (method: string, url: string, init?: Init) =>
      (verbs[String(method).toUpperCase()] as ReturnType<typeof verb>)(url, init),
    async uploadImage(file: Uint8Array | ArrayBuffer | Blob, filename: string) {
      const upload = await buildImageUpload(file, filename);
      // The form goes out as built: its `meta` part is the exact text the signature covers.
      return (verbs.POST as ReturnType<typeof verb>)("/v3/marketing/favor/media/image-upload", {
        body: upload.body,
        bodySerializer: (form: unknown) => form as FormData,
      } as Init);
    },
    downloadBill(link: BillLink, options: { signal?: AbortSignal } = {}) {
      return downloadBill(link, { credentials, fetch: send, baseUrl, signal: options.signal });
    },
    // Pages are read with the answer-returning GET (retries included), whichever style this is.
    paginate: createPaginate(((url: string, init?: Init) =>
      call("GET", url, init)) as unknown as PageGetter),
  });
  // The same functions: the interfaces only type their arguments by the operation (methods.ts).
  return marketing as unknown as MarketingClient | StrictMarketingClient;
}
