/**
 * The throwing style (`createMarketingClient({ …, throwOnError: true })`): a call resolves only to a
 * 2xx answer, whose `data` is therefore never optional in its type, and rejects with `ApiError`
 * (status, code, message, Request-ID) for any other.
 */
import { ApiError } from "@wechatpay-marketing/signer/fetch";

type Answer = { data?: unknown; error?: unknown; response: Response; attempts?: number };

/** The call's answer if it is a 2xx; else throws its ApiError. */
export async function answerOrThrow(result: Answer) {
  const { data, error, response, attempts } = result;
  if (!response.ok) throw await ApiError.from(response, error);
  return { data, response, attempts };
}
