/**
 * The log hook: one entry per attempt, made only of what is safe to keep. No header value, body,
 * key, signature or ciphertext is ever read into an entry; errors contribute their code and reason
 * (the signer's and this package's errors carry no secret).
 */

export interface CallLogEntry {
  method: string;
  /** The path template (`/v3/marketing/busifavor/stocks/{stock_id}`), never the filled-in URL. */
  path: string;
  /** The host the attempt went to: the backup's after a failover. */
  baseUrl: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The HTTP status, when an answer arrived. */
  status?: number | undefined;
  /** From sending to the answer read and verified (or the failure), in ms. */
  latencyMs: number;
  /** WeChat Pay's `Request-ID` of the answer: quote it to WeChat Pay support. */
  requestId?: string | undefined;
  /** The error body's `code` (`SYSTEM_ERROR`), or the thrown error's (`TRANSPORT_FAILED`, `TIMEOUT`). */
  errorCode?: string | undefined;
  /** A thrown error's `reason` (`ECONNREFUSED`, `bad-signature`), when it has one. */
  errorReason?: string | undefined;
  /** What the client does next: send again (`retry`), or send again to the backup (`failover`). */
  next?: "retry" | "failover" | undefined;
}

export type CallLogger = (entry: CallLogEntry) => void;

/** Hands the entry to the hook; a throwing hook must not change the call's outcome. */
export function report(log: CallLogger | undefined, entry: CallLogEntry): void {
  if (!log) return;
  try {
    log(entry);
  } catch {
    // The log is an observer: the call's result stands either way.
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** The `code` of an error body, if it has one. */
export const errorBodyCode = (error: unknown): string | undefined =>
  text((error as { code?: unknown } | undefined)?.code);

/** `code` and `reason` of a thrown error, if it has them. */
export function thrownFacts(error: unknown): Pick<CallLogEntry, "errorCode" | "errorReason"> {
  const { code, reason } = (error ?? {}) as { code?: unknown; reason?: unknown };
  return { errorCode: text(code) ?? "UNKNOWN", errorReason: text(reason) };
}
