// GET /v3/billdownload/file?token=…: the bill files behind the cash coupon flow links. Like WeChat
// Pay's, the request must be signed by the merchant and the answer is the file itself, unsigned:
// the client checks it against the SHA-1 the flow link carried.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { closeAfterAnswer, LIMITS, readBody } from "./limits.js";
import { BusinessError, type Reply } from "./reply.js";
import type { SandboxStore } from "./store.js";

export const BILL_DOWNLOAD_PATH = "/v3/billdownload/file";

/** The refusals that need neither the body nor the signature, as for every /v3 request. */
function refuseUnread(request: IncomingMessage, method: string): Reply | undefined {
  if (method !== "GET") {
    return new BusinessError(
      404,
      "METHOD_NOT_ALLOWED",
      `${method} ${BILL_DOWNLOAD_PATH} 不存在`,
    ).toReply();
  }
  if ((request.headers.authorization?.length ?? 0) > LIMITS.authorizationChars) {
    return new BusinessError(401, "SIGN_ERROR", "Authorization头格式错误，签名信息不完整", {
      field: "Authorization",
      location: "header",
      issue: `longer than ${LIMITS.authorizationChars} characters`,
    }).toReply();
  }
  return undefined;
}

function answer(response: ServerResponse, requestId: string, reply: Reply): number {
  response.writeHead(reply.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Request-ID": requestId,
  });
  response.end(JSON.stringify(reply.body));
  return reply.status;
}

/**
 * Answers one bill download; `refuseSignature` checks the merchant's signature over the empty
 * body. Resolves to the status sent, or undefined when the client went away mid-request.
 */
export async function serveBill(
  sandbox: { store: SandboxStore; mchid: string },
  request: IncomingMessage,
  response: ServerResponse,
  refuseSignature: () => Promise<Reply | undefined>,
): Promise<number | undefined> {
  const requestId = randomUUID().replaceAll("-", "").toUpperCase();
  const method = (request.method ?? "GET").toUpperCase();
  const refused = refuseUnread(request, method);
  if (refused) {
    closeAfterAnswer(request, response);
    return answer(response, requestId, refused);
  }
  // A download carries no body: a limit of 0 refuses one without reading it.
  const read = await readBody(request, 0);
  if (!read.ok) {
    if (read.reason === "aborted") return undefined;
    closeAfterAnswer(request, response);
    return answer(
      response,
      requestId,
      new BusinessError(400, "INVALID_REQUEST", "下载账单的请求不能带包体", {
        location: "body",
        issue: "a bill download is a GET without a body",
      }).toReply(),
    );
  }
  const unsigned = await refuseSignature();
  if (unsigned) return answer(response, requestId, unsigned);
  const { store } = sandbox;
  const token =
    new URL(request.url ?? "/", "http://sandbox.invalid").searchParams.get("token") ?? "";
  const bill = store.favor.bills.get(token);
  if (!bill) {
    return answer(
      response,
      requestId,
      new BusinessError(404, "RESOURCE_NOT_EXISTS", "下载链接不存在").toReply(),
    );
  }
  if (bill.mchid !== sandbox.mchid) {
    return answer(
      response,
      requestId,
      new BusinessError(403, "NO_AUTH", "无权下载该账单").toReply(),
    );
  }
  if (store.now() > bill.expiresAt) {
    store.favor.bills.delete(token);
    return answer(
      response,
      requestId,
      new BusinessError(400, "INVALID_REQUEST", "下载链接已过期，请重新获取 (30s内有效)").toReply(),
    );
  }
  response.writeHead(200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Length": String(bill.bytes.length),
    "Request-ID": requestId,
  });
  response.end(bill.bytes);
  return 200;
}
