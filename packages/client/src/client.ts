import {
  ConfigError,
  createMerchantCredentials,
  type FetchLike,
  type ResponseLike,
  type SignerOptions,
} from "@wechatpay-marketing/signer";
import { buildImageUpload } from "@wechatpay-marketing/signer/media";
import { createSignerMiddleware } from "@wechatpay-marketing/signer/middleware";
import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";
import { type BillFile, type BillLink, downloadBill } from "./bills.js";
import type { components, paths } from "./generated/marketing.gen.js";
import type { MarketingMethod, MarketingRequest } from "./methods.js";
import { createPaginate, type MarketingPaginate, type PageGetter } from "./paginate.js";
import { serializeQuery } from "./query.js";

/** The primary APIv3 host; `https://api2.mch.weixin.qq.com` is the backup in another site. */
export const DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com";

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
}

/** What `uploadImage` resolves to: openapi-fetch's result for POST /v3/marketing/favor/media/image-upload. */
export type ImageUploadResult =
  | {
      data: components["schemas"]["MarketingImageUploadResult"];
      error?: undefined;
      response: Response;
    }
  | { data?: undefined; error: components["schemas"]["Error"]; response: Response };

/**
 * openapi-fetch's client over every marketing path, signing and verifying every call. The verbs are
 * openapi-fetch's own functions; their parameters are typed by the operation the URL names, so an
 * unknown key in a body, query, path or header object does not compile (see methods.ts).
 */
export interface MarketingClient {
  GET: MarketingMethod<"get">;
  PUT: MarketingMethod<"put">;
  POST: MarketingMethod<"post">;
  DELETE: MarketingMethod<"delete">;
  OPTIONS: MarketingMethod<"options">;
  HEAD: MarketingMethod<"head">;
  PATCH: MarketingMethod<"patch">;
  TRACE: MarketingMethod<"trace">;
  request: MarketingRequest;
  /** Registers openapi-fetch middleware, run after the signer's. */
  use(...middleware: Middleware[]): void;
  /** Unregisters middleware registered with `use`. */
  eject(...middleware: Middleware[]): void;
  /**
   * Uploads a JPG, BMP or PNG (≤ 2 MB) for use as `merchant_logo_url` and the like: builds the
   * multipart body with its `meta` ({ filename, sha256 }) and signs over that meta as sent.
   */
  uploadImage(file: Uint8Array | ArrayBuffer | Blob, filename: string): Promise<ImageUploadResult>;
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
   * rejects with ApiError; `signal` aborts. Only the document's offset/limit lists compile.
   */
  paginate: MarketingPaginate;
}

// What fetch accepts without a TypeError, which would echo the value: RFC 9110 token names,
// printable ASCII values without surrounding spaces.
const HEADER_NAME = /^[!#$%&'*+.^_`|~\w-]+$/;
const HEADER_VALUE = /^([!-~]([ -~]*[!-~])?)?$/;

/** ConfigError naming `baseUrl` or `headers.<name>`, never the value, for what fetch refuses. */
function checkRequestOptions(baseUrl: unknown, headers: MarketingClientOptions["headers"]): void {
  if (
    !(typeof baseUrl === "string" && /^https?:\/\/[^\s]+$/i.test(baseUrl) && URL.canParse(baseUrl))
  ) {
    throw new ConfigError("baseUrl", "must be an http(s) URL");
  }
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

/**
 * Creates the typed client. Options are validated here, synchronously: a bad key, serial, mchid,
 * URL or header throws a `ConfigError` naming the option before any request is made.
 */
export function createMarketingClient(options: MarketingClientOptions): MarketingClient {
  const { baseUrl = DEFAULT_BASE_URL, fetch, headers, ...signerOptions } = options;
  checkRequestOptions(baseUrl, headers);
  if (fetch !== undefined && typeof fetch !== "function") {
    throw new ConfigError("fetch", "must be a function");
  }
  const client = createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ""),
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
  const marketing: Client<paths> &
    Pick<MarketingClient, "uploadImage" | "downloadBill" | "paginate"> = Object.assign(client, {
    async uploadImage(file: Uint8Array | ArrayBuffer | Blob, filename: string) {
      const upload = await buildImageUpload(file, filename);
      // The form goes out as built: its `meta` part is the exact text the signature covers.
      const result = await client.POST("/v3/marketing/favor/media/image-upload", {
        body: upload.body as never,
        bodySerializer: (form: unknown) => form as FormData,
      });
      return result as ImageUploadResult;
    },
    downloadBill(link: BillLink, options: { signal?: AbortSignal } = {}) {
      return downloadBill(link, { credentials, fetch: send, baseUrl, signal: options.signal });
    },
    paginate: createPaginate(client.GET as unknown as PageGetter),
  });
  // The same functions: MarketingClient only types their arguments by the operation (methods.ts).
  return marketing as unknown as MarketingClient;
}
