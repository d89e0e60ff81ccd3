import { randomBytes } from "node:crypto";
import { formatTime, invalidRequest, notFound, paginate } from "../reply.js";
import type { Json, StockRecord } from "../store.js";
import type { HandlerTable, OperationContext } from "./context.js";
import { checkAppid, ownStock } from "./guards.js";

/** Issues one coupon of the body's stock to its user, fires COUPON.SEND, and answers as both send calls do. */
function issueToUser(context: OperationContext) {
  const { body, store } = context;
  ownStock(context, body.stock_id);
  const { coupon } = store.issueCoupon({
    stock_id: body.stock_id,
    openid: body.openid,
    appid: body.appid,
    send_request_no: body.out_request_no,
    coupon_code: body.coupon_code,
  });
  context.couponSent(coupon);
  return {
    status: 200,
    body: {
      stock_id: coupon.stock_id,
      coupon_code: coupon.coupon_code,
      out_request_no: body.out_request_no,
    },
  };
}

/** 向用户发券: one coupon per out_request_no, within the budget and per-user limit; fires COUPON.SEND. */
function sendCoupon(context: OperationContext) {
  const { body } = context;
  checkAppid(context, body.appid, "body");
  return context.once("out_request_no", body.out_request_no, () => issueToUser(context));
}

/**
 * 发放消费卡: consumer cards are set up in the merchant platform, so the sandbox knows the ones
 * registered with `registerConsumerCard` (or POST /sandbox/consumer-cards); one card per user.
 */
function sendConsumerCard(context: OperationContext) {
  const { body, store, params } = context;
  checkAppid(context, body.appid, "body");
  return context.once("out_request_no", body.out_request_no, () => {
    const holders = store.consumerCards.get(params.card_id);
    if (!holders) throw notFound(`消费卡不存在: ${params.card_id}`);
    if (holders.has(body.openid)) {
      throw invalidRequest("用户已领取该消费卡", { field: "/openid", location: "body" });
    }
    const code = store.nextId("9", 15);
    holders.set(body.openid, code);
    return { status: 200, body: { card_code: code } };
  });
}

/**
 * 向用户预发放商品券: holds one coupon of the stock's budget (total, per user, uploaded codes)
 * and answers the token the coupon component (领券组件) spends, once. Sends of the same stock
 * cannot take what unclaimed tokens hold. The same send_request_no answers the same token.
 */
function preSendProductCoupon(context: OperationContext) {
  const { body, store } = context;
  checkAppid(context, body.appid, "body");
  return context.once("send_request_no", body.send_request_no, () => {
    const stock = ownStock(context, body.stock_id);
    const token = randomBytes(24).toString("base64url");
    store.reservePreSend(
      {
        stock_id: stock.stock_id,
        appid: body.appid,
        send_request_no: body.send_request_no,
        openid: body.openid,
        coupon_code: body.coupon_code,
      },
      token,
    );
    return { status: 200, body: { token } };
  });
}

/** 向用户发放商品券: like 向用户发券; a MEMBER coupon needs member_card_id. */
function sendProductCoupon(context: OperationContext) {
  const { body } = context;
  checkAppid(context, body.appid, "body");
  return context.once("out_request_no", body.out_request_no, () => {
    if (body.coupon_type === "MEMBER" && !body.member_card_id) {
      throw invalidRequest("会员券必须填写 member_card_id", {
        field: "/member_card_id",
        location: "body",
      });
    }
    return issueToUser(context);
  });
}

function uploadStock(context: OperationContext): StockRecord {
  const stock = ownStock(context, context.params.stock_id);
  if (stock.definition.coupon_code_mode !== "MERCHANT_UPLOAD") {
    throw invalidRequest("批次券code模式不是 MERCHANT_UPLOAD", {
      field: "stock_id",
      location: "path",
    });
  }
  return stock;
}

function codeInformation(stock: StockRecord, code: string): Json {
  const uploaded = stock.uploadedCodes.get(code);
  if (!uploaded) throw notFound(`预存code不存在: ${code}`);
  return {
    code,
    code_status: uploaded.dispatchedAt === undefined ? "AVAILABLE" : "DISPATCHED",
    upload_time: formatTime(uploaded.uploadedAt),
    ...(uploaded.dispatchedAt !== undefined
      ? {
          dispatched_time: formatTime(uploaded.dispatchedAt),
          openid: uploaded.openid,
          coupon_code: code,
        }
      : {}),
  };
}

/** 查询预存code列表: every uploaded code and what became of it; `status` filters by coupon state. */
function listCodes(context: OperationContext) {
  const { query, store } = context;
  const stock = uploadStock(context);
  const rows = [...stock.uploadedCodes.keys()]
    .filter((code) => {
      if (!query.status) return true;
      const coupon = store.coupons.get(`${stock.stock_id}/${code}`);
      return coupon !== undefined && store.refresh(coupon).state === query.status;
    })
    .map((code) => codeInformation(stock, code));
  return { status: 200, body: { ...paginate(context, rows), stock_id: stock.stock_id } };
}

function getCode(context: OperationContext) {
  const { store, params } = context;
  const stock = uploadStock(context);
  const code = codeInformation(stock, params.coupon_code);
  const coupon = store.coupons.get(`${stock.stock_id}/${params.coupon_code}`);
  const d = stock.definition;
  const send = d.stock_send_rule as Json;
  return {
    status: 200,
    body: {
      code_information: code,
      coupon_information: {
        stock_name: d.stock_name,
        belong_merchant: d.belong_merchant,
        ...(d.comment !== undefined ? { comment: d.comment } : {}),
        goods_name: d.goods_name,
        stock_type: d.stock_type,
        transferable: send.transferable ?? false,
        shareable: send.shareable ?? false,
        ...(coupon ? { coupon_state: store.refresh(coupon).state } : {}),
        coupon_use_rule: d.coupon_use_rule,
        ...(d.custom_entrance !== undefined ? { custom_entrance: d.custom_entrance } : {}),
        ...(d.display_pattern_info !== undefined
          ? { display_pattern_info: d.display_pattern_info }
          : {}),
      },
    },
  };
}

/** 删除预存code: only a code not yet handed to a user; idempotent on delete_request_no. */
function deleteCode(context: OperationContext) {
  const { store, params, query } = context;
  const stock = uploadStock(context);
  return context.once("delete_request_no", query.delete_request_no, () => {
    const uploaded = stock.uploadedCodes.get(params.coupon_code);
    if (!uploaded) throw notFound(`预存code不存在: ${params.coupon_code}`);
    if (uploaded.dispatchedAt !== undefined) {
      throw invalidRequest("code已发放给用户，不能删除", {
        field: "coupon_code",
        location: "path",
      });
    }
    stock.uploadedCodes.delete(params.coupon_code);
    stock.availableCodes = stock.availableCodes.filter((c) => c !== params.coupon_code);
    return {
      status: 200,
      body: { stock_id: stock.stock_id, delete_time: formatTime(store.now()) },
    };
  });
}

export const sendingHandlers: HandlerTable = {
  "POST /v3/marketing/busifavor/coupons/send": sendCoupon,
  "POST /v3/marketing/busifavor/coupons/{card_id}/send": sendConsumerCard,
  "POST /v3/marketing/busifavor/product-coupons/pre-send": preSendProductCoupon,
  "POST /v3/marketing/busifavor/product-coupons/send": sendProductCoupon,
  "GET /v3/marketing/busifavor/stocks/{stock_id}/couponcodes": listCodes,
  "GET /v3/marketing/busifavor/stocks/{stock_id}/couponcodes/{coupon_code}": getCode,
  "DELETE /v3/marketing/busifavor/stocks/{stock_id}/couponcodes/{coupon_code}": deleteCode,
};
