import type { IncomingMessage, ServerResponse } from "node:http";
import { FAULT_KINDS, type FaultKind, type FaultPlan } from "./faults.js";
import { favorControlRoute } from "./favor-controls.js";
import { BusinessError } from "./reply.js";
import type { Sandbox } from "./server.js";

type Body = Record<string, unknown>;

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  response.end(text);
}

const str = (value: unknown) => (typeof value === "string" && value ? value : undefined);

/**
 * The control API under /sandbox (unsigned, for tests and demos):
 *
 * - GET    /sandbox                          the served operations and connection facts
 * - POST   /sandbox/users/{openid}/coupons   a user receives a coupon: { stock_id, appid?, send_request_no?, coupon_code? }
 * - POST   /sandbox/consumer-cards           registers a consumer card (消费卡): { card_id }
 * - GET    /sandbox/clock                    business time
 * - POST   /sandbox/clock                    { advance_seconds } moves business time forward
 * - GET    /sandbox/notifications            the notification delivery log
 * - GET    /sandbox/faults                   pending faults
 * - POST   /sandbox/faults                   { kind, count?, path?, method?, latency_ms? }
 * - DELETE /sandbox/faults                   clears them
 * - GET    /sandbox/violations               answers that broke the document (strictResponses)
 * - …      /sandbox/favor/…                   cash coupons: the user pays, refunds, profiles, balance (favor-controls.ts)
 */
export async function handleControl(
  sandbox: Sandbox,
  request: IncomingMessage,
  response: ServerResponse,
  raw: Buffer,
): Promise<void> {
  const method = request.method ?? "GET";
  const { pathname } = new URL(request.url ?? "/", "http://sandbox.invalid");
  let body: Body = {};
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString("utf8")) as Body;
    } catch {
      return reply(response, 400, { code: "PARAM_ERROR", message: "body is not valid JSON" });
    }
  }
  const faults = (sandbox as Sandbox & { faults: FaultPlan }).faults;
  try {
    const favor = pathname.startsWith("/sandbox/favor/")
      ? favorControlRoute(sandbox.favor, method, pathname, body)
      : undefined;
    if (favor) return reply(response, favor.status, favor.body);
    const coupons = /^\/sandbox\/users\/([^/]+)\/coupons$/.exec(pathname);
    if (coupons && method === "POST") {
      const stockId = str(body.stock_id);
      if (!stockId) {
        return reply(response, 400, {
          code: "PARAM_ERROR",
          message: "stock_id is required",
          detail: { field: "stock_id" },
        });
      }
      const coupon = await sandbox.issueCoupon(decodeURIComponent(coupons[1] as string), {
        stock_id: stockId,
        appid: str(body.appid),
        send_request_no: str(body.send_request_no),
        coupon_code: str(body.coupon_code),
      });
      return reply(response, 200, coupon);
    }
    if (pathname === "/sandbox/consumer-cards" && method === "POST") {
      const cardId = str(body.card_id);
      if (!cardId)
        return reply(response, 400, { code: "PARAM_ERROR", message: "card_id is required" });
      sandbox.registerConsumerCard(cardId);
      return reply(response, 200, { card_id: cardId });
    }
    if (pathname === "/sandbox" && method === "GET") {
      return reply(response, 200, {
        mchid: sandbox.mchid,
        base_url: sandbox.url,
        operations: sandbox.operations.map((o) => ({
          operation_id: o.operationId,
          method: o.method,
          path: o.path,
          handled: o.handled,
        })),
      });
    }
    if (pathname === "/sandbox/clock") {
      if (method === "POST") {
        const seconds = body.advance_seconds;
        if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
          return reply(response, 400, {
            code: "PARAM_ERROR",
            message: "advance_seconds must be a number >= 0",
          });
        }
        return reply(response, 200, { now: sandbox.advanceClock(seconds) });
      }
      if (method === "GET") return reply(response, 200, { now: sandbox.advanceClock(0) });
    }
    if (pathname === "/sandbox/notifications" && method === "GET") {
      return reply(response, 200, { data: sandbox.notifications() });
    }
    if (pathname === "/sandbox/violations" && method === "GET") {
      return reply(response, 200, { data: sandbox.violations });
    }
    if (pathname === "/sandbox/faults") {
      if (method === "GET") return reply(response, 200, { data: faults.list() });
      if (method === "DELETE") {
        faults.clear();
        return reply(response, 200, { data: [] });
      }
      if (method === "POST") {
        if (!FAULT_KINDS.includes(body.kind as FaultKind)) {
          return reply(response, 400, {
            code: "PARAM_ERROR",
            message: `kind must be one of ${FAULT_KINDS.join(", ")}`,
            detail: { field: "kind" },
          });
        }
        const added = faults.add({
          kind: body.kind as FaultKind,
          ...(typeof body.count === "number" ? { count: body.count } : {}),
          ...(str(body.path) ? { path: str(body.path) as string } : {}),
          ...(str(body.method) ? { method: str(body.method) as string } : {}),
          ...(typeof body.latency_ms === "number" ? { latencyMs: body.latency_ms } : {}),
        });
        return reply(response, 200, added);
      }
    }
    return reply(response, 404, {
      code: "NOT_FOUND",
      message: `${method} ${pathname} is not a control route`,
    });
  } catch (error) {
    if (error instanceof BusinessError) return reply(response, error.status, error.toReply().body);
    if (error instanceof TypeError)
      return reply(response, 400, { code: "PARAM_ERROR", message: error.message });
    throw error;
  }
}
