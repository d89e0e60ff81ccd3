// GET /v3/billdownload/file?token=…: the bill files behind the cash coupon flow links. Like WeChat
// Pay's, the request must be signed by the merchant and the answer is the file itself, unsigned:
// the client checks it against the SHA-1 the flow link carried.
import type { IncomingMessage, ServerResponse } from "node:http";
import { BusinessError } from "./reply.js";
import type { SandboxStore } from "./store.js";

export const BILL_DOWNLOAD_PATH = "/v3/billdownload/file";

function fail(response: ServerResponse, error: BusinessError): number {
  const { body } = error.toReply();
  response.writeHead(error.status, { "Content-Type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
  return error.status;
}

/**
 * Answers one bill download; `authenticate` checks the Authorization header and answers the
 * merchant that signed (or throws the BusinessError to answer). Resolves to the status sent.
 */
export async function serveBill(
  store: SandboxStore,
  request: IncomingMessage,
  response: ServerResponse,
  authenticate: (method: string, url: string, authorization: string | undefined) => Promise<string>,
): Promise<number> {
  const method = (request.method ?? "GET").toUpperCase();
  const url = request.url ?? "/";
  if (method !== "GET") {
    return fail(
      response,
      new BusinessError(404, "METHOD_NOT_ALLOWED", `${method} ${BILL_DOWNLOAD_PATH} 不存在`),
    );
  }
  let mchid: string;
  try {
    mchid = await authenticate(method, url, request.headers.authorization);
  } catch (error) {
    if (error instanceof BusinessError) return fail(response, error);
    throw error;
  }
  const token = new URL(url, "http://sandbox.invalid").searchParams.get("token") ?? "";
  const bill = store.favor.bills.get(token);
  if (!bill) return fail(response, new BusinessError(404, "RESOURCE_NOT_EXISTS", "下载链接不存在"));
  if (bill.mchid !== mchid)
    return fail(response, new BusinessError(403, "NO_AUTH", "无权下载该账单"));
  if (store.now() > bill.expiresAt) {
    store.favor.bills.delete(token);
    return fail(
      response,
      new BusinessError(400, "INVALID_REQUEST", "下载链接已过期，请重新获取 (30s内有效)"),
    );
  }
  response.writeHead(200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Length": String(bill.bytes.length),
  });
  response.end(bill.bytes);
  return 200;
}
