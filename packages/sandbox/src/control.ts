import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { FAULT_KINDS, type FaultKind, type FaultPlan } from "./faults.js";
import { favorControlRoute } from "./favor-controls.js";
import {
  closeAfterAnswer,
  JsonInputError,
  LIMITS,
  mediaType,
  parseRequestJson,
  readBody,
} from "./limits.js";
import { BusinessError } from "./reply.js";
import type { Sandbox } from "./server.js";

/**
 * What the control API drives: the sandbox's own controls, passed in explicitly (the HTTP layer
 * builds this before it listens; the object startSandbox returns offers the same methods).
 */
export interface ControlApi
  extends Pick<
    Sandbox,
    | "mchid"
    | "operations"
    | "violations"
    | "favor"
    | "issueCoupon"
    | "claimPreSentCoupon"
    | "registerConsumerCard"
    | "advanceClock"
    | "notifications"
  > {
  /** The base URL, known once the server listens. */
  baseUrl(): string;
  faults: FaultPlan;
  token: string;
}

type Body = Record<string, unknown>;

export const CONTROL_TOKEN_HEADER = "X-Sandbox-Token";

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  response.end(text);
}

const str = (value: unknown) => (typeof value === "string" && value ? value : undefined);

/** Compares digests, so the time taken says nothing about how much of the token was right. */
function sameToken(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== "string" || given.length > 1024) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** The fields that have a value: an optional field is left out, never set to undefined. */
function present<T extends Record<string, unknown>>(fields: T) {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * Why a request may not drive the sandbox, checked before its body is read: every route needs
 * the per-sandbox token in X-Sandbox-Token, and a POST must be JSON. A web page can send a
 * cross-site `text/plain` POST without asking, but neither a custom header nor a JSON body
 * without a CORS preflight, which the sandbox never grants; and it cannot know the token.
 */
function refusal(request: IncomingMessage, token: string): [number, unknown] | undefined {
  if (!sameToken(request.headers["x-sandbox-token"], token)) {
    return [
      401,
      {
        code: "SANDBOX_TOKEN_REQUIRED",
        message: `the control API needs the header ${CONTROL_TOKEN_HEADER} (sandbox.controlToken, printed by the CLI)`,
        detail: { field: CONTROL_TOKEN_HEADER, location: "header" },
      },
    ];
  }
  if (
    request.method === "POST" &&
    mediaType(request.headers["content-type"]) !== "application/json"
  ) {
    return [
      415,
      {
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: "control API requests are JSON: send Content-Type: application/json",
        detail: { field: "Content-Type", location: "header" },
      },
    ];
  }
  return undefined;
}

/**
 * The control API under /sandbox (for tests and demos; not signed, but every request carries
 * the sandbox's token in X-Sandbox-Token and every POST is JSON):
 *
 * - GET    /sandbox                          the served operations and connection facts
 * - POST   /sandbox/users/{openid}/coupons   a user receives a coupon: { stock_id, appid?, send_request_no?, coupon_code? }
 * - POST   /sandbox/consumer-cards           registers a consumer card (消费卡): { card_id }
 * - POST   /sandbox/product-coupons/claim    the coupon component completes a pre-issue: { token, openid? }
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
  sandbox: ControlApi,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? "GET";
  const { pathname } = new URL(request.url ?? "/", "http://sandbox.invalid");
  const refused = refusal(request, sandbox.token);
  if (refused) {
    closeAfterAnswer(request, response);
    return reply(response, ...refused);
  }
  const read = await readBody(request, LIMITS.jsonBodyBytes);
  if (!read.ok) {
    if (read.reason === "aborted") return;
    closeAfterAnswer(request, response);
    return reply(response, 413, {
      code: "REQUEST_TOO_LARGE",
      message: `control API bodies are at most ${LIMITS.jsonBodyBytes} bytes`,
    });
  }
  let body: Body = {};
  if (read.body.length > 0) {
    let parsed: unknown;
    try {
      parsed = parseRequestJson(read.body.toString("utf8"));
    } catch (error) {
      const deep = error instanceof JsonInputError && error.problem === "too-deep";
      return reply(response, 400, {
        code: "PARAM_ERROR",
        message: deep
          ? `body nests deeper than ${LIMITS.jsonDepth} levels`
          : "body is not valid JSON",
      });
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      return reply(response, 400, { code: "PARAM_ERROR", message: "body must be a JSON object" });
    }
    body = parsed as Body;
  }
  const { faults } = sandbox;
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
        ...present({
          appid: str(body.appid),
          send_request_no: str(body.send_request_no),
          coupon_code: str(body.coupon_code),
        }),
      });
      return reply(response, 200, coupon);
    }
    if (pathname === "/sandbox/product-coupons/claim" && method === "POST") {
      const claimToken = str(body.token);
      if (!claimToken) {
        return reply(response, 400, {
          code: "PARAM_ERROR",
          message: "token is required",
          detail: { field: "token" },
        });
      }
      const openid = str(body.openid);
      const coupon = await sandbox.claimPreSentCoupon(claimToken, openid ? { openid } : {});
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
        base_url: sandbox.baseUrl(),
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
