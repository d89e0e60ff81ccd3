/**
 * The backup host. WeChat Pay serves APIv3 from a second site, `api2.mch.weixin.qq.com`
 * (wechatpay-go's `WechatPayAPIServerBackup`; wechatpay-java's multi-domain interceptor retries
 * there on a connectivity failure). The client moves a call there only when the primary could not
 * be reached at all: an answer, even a 5xx, means the primary is up and is retried in place.
 */
import { TransportError } from "@wechatpay-marketing/signer/fetch";
import { DEFAULT_BASE_URL } from "./base-url.js";

export const BACKUP_BASE_URL = "https://api2.mch.weixin.qq.com";

/** Error codes of a connection that was never made (DNS, refused, unreachable, connect timeout). */
const UNREACHABLE: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The host could not be reached: no request reached it, so no answer can be lost either. */
export const isUnreachable = (error: unknown): boolean =>
  error instanceof TransportError && UNREACHABLE.has(error.reason);

/**
 * The backup for a client: `option` when given, none for `false`, and by default the backup host
 * only for the primary host (a sandbox or a proxy has no backup).
 */
export function backupFor(option: string | false | undefined, baseUrl: string): string | undefined {
  if (option === false) return undefined;
  if (option !== undefined) return option.replace(/\/+$/, "");
  return baseUrl.replace(/\/+$/, "") === DEFAULT_BASE_URL ? BACKUP_BASE_URL : undefined;
}
