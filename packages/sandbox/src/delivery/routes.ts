/**
 * Coupon delivery outside /v3, under /sandbox-action (standing for https://action.weixin.qq.com):
 *
 * - POST /sandbox-action/busifavor/sendcoupon      the plug-in's request: { send_coupon_params,
 *   sign, send_coupon_merchant } from your server plus the login state { appid?, openid };
 *   answers the bind:sendcoupon detail { errcode, msg, send_coupon_result }
 * - GET  /sandbox-action/busifavor/getcouponinfo   the H5发券 page of a signed link
 * - POST /sandbox-action/busifavor/getcouponinfo   the user taps 领券 on it: the same answer shape
 * - GET  /sandbox-action/mini-program              a page playing the Mini Program with the plug-in
 *
 * Signed with the APIv2 key, not the APIv3 scheme, so these need no Authorization header (and
 * are not control routes). Faults with a `path` under /sandbox-action apply: `system-error`
 * answers SYSTEMERROR, `rate-limit` FREQUENCYLIMIT per coupon, `latency` delays.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultKind, FaultPlan } from "../faults.js";
import { closeAfterAnswer, JsonInputError, LIMITS, parseRequestJson, readBody } from "../limits.js";
import type { CouponRecord, SandboxStore } from "../store.js";
import { type CouponAnswer, deliverCoupon, type SendChannel } from "./issue.js";
import { h5CouponPage, miniProgramPage } from "./pages.js";
import { apiV2SignMatches } from "./sign.js";
import { type CouponRequest, DeliveryRefusal, readH5Request, readPluginRequest } from "./wire.js";

export const ACTION_PREFIX = "/sandbox-action";
export const PLUGIN_PATH = `${ACTION_PREFIX}/busifavor/sendcoupon`;
export const H5_PATH = `${ACTION_PREFIX}/busifavor/getcouponinfo`;
export const MINI_PROGRAM_PATH = `${ACTION_PREFIX}/mini-program`;

export interface DeliveryContext {
  store: SandboxStore;
  mchid: string;
  appids: readonly string[];
  apiV2Key: string;
  faults: FaultPlan;
  couponSent(coupon: CouponRecord, channel: SendChannel): void;
}

/** The plug-in's answer: what bind:sendcoupon receives as `event.detail`. */
export interface DeliveryAnswer {
  errcode: string | number;
  msg: string;
  send_coupon_result?: CouponAnswer[];
}

const SIGN_ERROR_MESSAGE = "签名错误";
/** The H5 page's numeric 签名错误 (the plug-in answers SIGN_ERROR). */
const H5_SIGN_ERROR = 272758293;
const DELIVERY_FAULTS: readonly FaultKind[] = ["latency", "rate-limit", "system-error"];

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

function sendPage(response: ServerResponse, html: string): void {
  response.writeHead(200, {
    "Content-Type": "text/html; charset=utf-8",
    // Its own inline script and style, fetches to this origin only.
    "Content-Security-Policy":
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
    "X-Content-Type-Options": "nosniff",
  });
  response.end(html);
}

/** Faults meant for these routes (a `path` is required), after the sign check as for /v3. */
async function takeFault(context: DeliveryContext, method: string, pathname: string) {
  const planned = context.faults.take(method, pathname, {
    kinds: DELIVERY_FAULTS,
    pathRequired: true,
  });
  if (planned.latencyMs > 0) await new Promise((r) => setTimeout(r, planned.latencyMs));
  if (planned.fault === "system-error")
    throw new DeliveryRefusal("SYSTEMERROR", "发券超时，请稍后再试");
  return planned.fault;
}

function deliverAll(
  context: DeliveryContext,
  coupons: CouponRequest[],
  user: { openid: string; appid: string; channel: SendChannel },
  fault: FaultKind | undefined,
): DeliveryAnswer {
  const target = { store: context.store, couponSent: context.couponSent, ...user };
  const send_coupon_result = coupons.map((coupon) =>
    fault === "rate-limit"
      ? {
          stock_id: coupon.stock_id,
          out_request_no: coupon.out_request_no,
          code: "FREQUENCYLIMIT",
          message: "发券频率过高，请稍后再试",
        }
      : deliverCoupon(target, coupon),
  );
  return { errcode: "OK", msg: "ok", send_coupon_result };
}

async function pluginDelivery(
  context: DeliveryContext,
  request: IncomingMessage,
  raw: Buffer,
): Promise<DeliveryAnswer> {
  if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) {
    throw new DeliveryRefusal("PARAM_ERROR", "请求必须是 Content-Type: application/json");
  }
  let body: unknown;
  try {
    body = parseRequestJson(raw.toString("utf8"));
  } catch (error) {
    throw new DeliveryRefusal(
      "PARAM_ERROR",
      error instanceof JsonInputError && error.problem === "too-deep"
        ? `请求包体嵌套超过${LIMITS.jsonDepth}层`
        : "请求包体不是合法的JSON",
    );
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new DeliveryRefusal("PARAM_ERROR", "请求包体必须是JSON对象");
  }
  const fields = body as Record<string, unknown>;
  // The login state of the Mini Program's user: its AppID and the user's OpenID under it.
  const appid = fields.appid === undefined ? context.appids[0] : fields.appid;
  if (typeof fields.openid !== "string" || fields.openid === "") {
    throw new DeliveryRefusal("USER_NOT_EXISTS", "用户登录态已过期，请重新进入小程序");
  }
  if (typeof appid !== "string" || !context.appids.includes(appid)) {
    throw new DeliveryRefusal("USER_GET_FAILED", "获取用户登录态失败: 该AppID不是沙箱已知的小程序");
  }
  const call = readPluginRequest(fields);
  // Only the sandbox's merchant has an APIv2 key here: any other merchant's sign cannot match.
  if (
    call.merchant !== context.mchid ||
    !apiV2SignMatches(call.signed, call.sign, context.apiV2Key)
  ) {
    throw new DeliveryRefusal("SIGN_ERROR", SIGN_ERROR_MESSAGE);
  }
  const fault = await takeFault(context, "POST", PLUGIN_PATH);
  return deliverAll(
    context,
    call.coupons,
    {
      openid: fields.openid,
      appid,
      channel: "BUSICOUPON_SEND_CHANNEL_MINIAPP",
    },
    fault,
  );
}

function checkedH5Request(context: DeliveryContext, query: URLSearchParams) {
  const call = readH5Request(query);
  if (
    call.merchant !== context.mchid ||
    !apiV2SignMatches(call.signed, call.sign, context.apiV2Key)
  ) {
    throw new DeliveryRefusal(H5_SIGN_ERROR, SIGN_ERROR_MESSAGE);
  }
  return call;
}

export async function handleDelivery(
  context: DeliveryContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  // Read within the JSON limit before anything else, as every other route does.
  const read = await readBody(request, LIMITS.jsonBodyBytes);
  if (!read.ok) {
    if (read.reason === "aborted") return;
    closeAfterAnswer(request, response);
    return sendJson(response, 413, {
      errcode: "PARAM_ERROR",
      msg: `delivery requests are at most ${LIMITS.jsonBodyBytes} bytes`,
    });
  }
  const raw = read.body;
  const method = (request.method ?? "GET").toUpperCase();
  const url = new URL(request.url ?? "/", "http://sandbox.invalid");
  const route = `${method} ${url.pathname}`;
  try {
    if (route === `POST ${PLUGIN_PATH}`) {
      return sendJson(response, 200, await pluginDelivery(context, request, raw));
    }
    if (route === `GET ${H5_PATH}`) {
      const call = checkedH5Request(context, url.searchParams);
      return sendPage(response, h5CouponPage(context.store.stocks.get(call.coupon.stock_id)));
    }
    if (route === `POST ${H5_PATH}`) {
      const call = checkedH5Request(context, url.searchParams);
      const fault = await takeFault(context, "POST", H5_PATH);
      return sendJson(
        response,
        200,
        deliverAll(
          context,
          [call.coupon],
          {
            openid: call.openid,
            appid: context.appids[0] as string,
            channel: "BUSICOUPON_SEND_CHANNEL_H5",
          },
          fault,
        ),
      );
    }
    if (route === `GET ${MINI_PROGRAM_PATH}`) {
      return sendPage(
        response,
        miniProgramPage({ appids: context.appids, pluginPath: PLUGIN_PATH }),
      );
    }
    const known = [PLUGIN_PATH, H5_PATH, MINI_PROGRAM_PATH].includes(url.pathname);
    return sendJson(response, known ? 405 : 404, {
      errcode: known ? "METHOD_NOT_ALLOWED" : "NOT_FOUND",
      msg: `${method} ${url.pathname} is not a delivery route`,
    });
  } catch (error) {
    if (!(error instanceof DeliveryRefusal)) throw error;
    return sendJson(response, 200, { errcode: error.errcode, msg: error.message });
  }
}
