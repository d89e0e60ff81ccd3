import {
  type MerchantCredentials,
  type ResponseLike,
  WechatpayError,
} from "@wechatpay-marketing/signer";
import { ApiError } from "@wechatpay-marketing/signer/fetch";
import { signRequest } from "@wechatpay-marketing/signer/middleware";
import type { components } from "./generated/marketing.gen.js";

type Schemas = components["schemas"];

/**
 * What the flow-download operations answer: 下载批次核销明细 / 下载批次退款明细 (`hash_value`,
 * `hash_type`) and the by-day links (`stock_useflow_hash`, `stock_refundflow_hash`).
 */
export type BillLink =
  | Schemas["FavorFlowDownload"]
  | Schemas["FavorUseFlowDayDownload"]
  | Schemas["FavorRefundFlowDayDownload"];

/** A downloaded bill file whose SHA-1 matched the one WeChat Pay answered. */
export interface BillFile {
  /** The file exactly as downloaded. */
  bytes: Uint8Array;
  /** Lower-case hex SHA-1 of `bytes`. */
  sha1: string;
  /** The bytes as UTF-8 text (the flow files are CSV). */
  text(): string;
}

export type BillDownloadReason = "hash-mismatch" | "unsupported-hash" | "untrusted-url";

/**
 * A bill file that must not be used: its SHA-1 differs from the answered one, its hash is not
 * SHA-1, or its link points outside WeChat Pay (and the client's own base URL). The message names
 * the hashes and the host, never the link's token.
 */
export class BillDownloadError extends WechatpayError {
  declare readonly reason: BillDownloadReason;
  declare readonly expected: string | undefined;
  declare readonly actual: string | undefined;

  constructor(
    reason: BillDownloadReason,
    message: string,
    hashes: { expected?: string; actual?: string } = {},
  ) {
    super("BILL_DOWNLOAD_REFUSED", message, {
      name: "BillDownloadError",
      reason,
      expected: hashes.expected,
      actual: hashes.actual,
    });
  }
}

/** The two WeChat Pay API hosts a download link may point at, besides the client's own base URL. */
const WECHATPAY_ORIGINS = ["https://api.mch.weixin.qq.com", "https://api2.mch.weixin.qq.com"];

function linkParts(link: BillLink): { url: string; hash: string; algorithm: string } {
  if ("hash_value" in link)
    return { url: link.url, hash: link.hash_value, algorithm: link.hash_type };
  const hash = "stock_useflow_hash" in link ? link.stock_useflow_hash : link.stock_refundflow_hash;
  // The by-day links carry no algorithm: WeChat Pay's flow files are hashed with SHA-1.
  return { url: link.url, hash, algorithm: "SHA1" };
}

const hex = (digest: ArrayBuffer) =>
  Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Downloads a stock's use or refund flow as WeChat Pay's flow asks: a signed GET of the link
 * (the answer carries no signature, so it is not verified), then the SHA-1 of the bytes compared
 * with the hash of the link. Web APIs only (fetch, WebCrypto).
 */
export async function downloadBill(
  link: BillLink,
  context: {
    credentials: MerchantCredentials;
    /** Any fetch's Response class (npm undici's, node-fetch's): only read through arrayBuffer(). */
    fetch: (request: Request) => Promise<ResponseLike>;
    baseUrl: string;
    signal?: AbortSignal | undefined;
  },
): Promise<BillFile> {
  const { url, hash, algorithm } = linkParts(link);
  if (algorithm.toUpperCase() !== "SHA1") {
    throw new BillDownloadError("unsupported-hash", `hash_type ${algorithm} is not SHA1`);
  }
  const { origin } = new URL(url);
  if (origin !== new URL(context.baseUrl).origin && !WECHATPAY_ORIGINS.includes(origin)) {
    // The signed request would go to a host that is neither WeChat Pay nor the configured one.
    throw new BillDownloadError("untrusted-url", `the bill link points at ${origin}`);
  }
  const request = await signRequest(
    context.credentials,
    new Request(url, { method: "GET", ...(context.signal ? { signal: context.signal } : {}) }),
  );
  const response = await context.fetch(request);
  // Read through the response's own arrayBuffer(): another fetch's Response class may not stream.
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status < 200 || response.status > 299) {
    // ApiError reads the status and Request-ID of a Response of this realm holding the bytes read.
    const requestId = response.headers.get("Request-ID");
    const answer = new Response(bytes, {
      status: response.status,
      ...(requestId ? { headers: { "Request-ID": requestId } } : {}),
    });
    throw await ApiError.from(answer, new TextDecoder().decode(bytes));
  }
  const sha1 = hex(await crypto.subtle.digest("SHA-1", bytes));
  if (sha1 !== hash.toLowerCase()) {
    throw new BillDownloadError(
      "hash-mismatch",
      `the bill file's SHA-1 is ${sha1}, the link says ${hash.toLowerCase()}: do not use it`,
      { expected: hash.toLowerCase(), actual: sha1 },
    );
  }
  return { bytes, sha1, text: () => new TextDecoder().decode(bytes) };
}
