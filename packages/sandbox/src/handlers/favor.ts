// 代金券 (cash coupons, /v3/marketing/favor): the 18 operations over the store's FavorStore, which
// holds the rules. Every stock operation names the creating merchant (stock_creator_mchid), and
// the sandbox serves one merchant: a stock of another creator does not exist for it.
import type { FavorCouponRecord, FavorStockRecord } from "../favor-store.js";
import {
  BusinessError,
  formatTime,
  invalidRequest,
  noAuth,
  notFound,
  paginate,
  paramError,
} from "../reply.js";
import type { Json } from "../store.js";
import type { HandlerTable, OperationContext } from "./context.js";
import { requireUploadedImages } from "./images.js";

/** The image fields of a cash coupon stock (创建代金券批次). */
export const FAVOR_STOCK_IMAGE_FIELDS = [
  "/pattern_info/merchant_logo",
  "/pattern_info/coupon_image",
] as const;

const BILL_PATH = "/v3/billdownload/file";

/** The stock `stock_creator_mchid` created; only that merchant may act on it. */
function creatorStock(
  context: OperationContext,
  stockId: string,
  creator: string,
): FavorStockRecord {
  const stock = context.store.favor.stock(stockId, creator);
  if (stock.creatorMchid !== context.mchid) throw noAuth("无权操作该批次");
  return stock;
}

/**
 * The AppID of a user call: bound to the merchant, or authorised for the stock by an established
 * FAVOR_STOCK partnership (委托营销).
 */
function checkFavorAppid(
  context: OperationContext,
  appid: string,
  location: "body" | "query",
  stockId?: string,
) {
  if (context.appids.includes(appid)) return;
  const authorised = context.store.partnerships.some(
    (p) =>
      p.state === "ESTABLISHED" &&
      p.partner.type === "APPID" &&
      p.partner.appid === appid &&
      p.authorized_data.business_type === "FAVOR_STOCK" &&
      (stockId === undefined || p.authorized_data.stock_id === stockId),
  );
  if (authorised) return;
  throw new BusinessError(400, "APPID_MCHID_NOT_MATCH", "商户号与AppID不匹配", {
    field: location === "body" ? "/appid" : "appid",
    location,
    value: appid,
    issue: "the AppID is neither bound to the merchant nor authorised for the stock",
  });
}

function createStock(context: OperationContext) {
  const { body, store } = context;
  return context.once("out_request_no", body.out_request_no, () => {
    requireUploadedImages(store, body, FAVOR_STOCK_IMAGE_FIELDS);
    const stock = store.favor.createStock(context.mchid, body);
    return {
      status: 200,
      body: { stock_id: stock.stock_id, create_time: formatTime(stock.createdAt) },
    };
  });
}

function startStock(context: OperationContext) {
  const stock = creatorStock(context, context.params.stock_id, context.body.stock_creator_mchid);
  const at = context.store.favor.start(stock);
  return { status: 200, body: { start_time: formatTime(at), stock_id: stock.stock_id } };
}

function pauseStock(context: OperationContext) {
  const stock = creatorStock(context, context.params.stock_id, context.body.stock_creator_mchid);
  return {
    status: 200,
    body: { pause_time: formatTime(context.store.favor.pause(stock)), stock_id: stock.stock_id },
  };
}

function restartStock(context: OperationContext) {
  const stock = creatorStock(context, context.params.stock_id, context.body.stock_creator_mchid);
  return {
    status: 200,
    body: {
      restart_time: formatTime(context.store.favor.restart(stock)),
      stock_id: stock.stock_id,
    },
  };
}

function getStock(context: OperationContext) {
  const stock = creatorStock(context, context.params.stock_id, context.query.stock_creator_mchid);
  return { status: 200, body: context.store.favor.stockView(stock) };
}

function listStocks(context: OperationContext) {
  const { query, store } = context;
  if (query.stock_creator_mchid !== context.mchid) throw noAuth("无权查询该商户号的批次");
  const from = query.create_start_time ? Date.parse(query.create_start_time) : -Infinity;
  const to = query.create_end_time ? Date.parse(query.create_end_time) : Infinity;
  const stocks = [...store.favor.stocks.values()]
    .map((s) => store.favor.refreshStock(s))
    .filter(
      (s) =>
        s.creatorMchid === context.mchid &&
        s.createdAt >= from &&
        s.createdAt <= to &&
        (!query.status || s.status === query.status),
    )
    .sort((a, b) => b.createdAt - a.createdAt);
  return { status: 200, body: paginate(context, stocks, (s) => store.favor.stockView(s)) };
}

function listMerchants(context: OperationContext) {
  const stock = creatorStock(context, context.params.stock_id, context.query.stock_creator_mchid);
  const merchants = (stock.definition.coupon_use_rule.available_merchants as
    | string[]
    | undefined) ?? [stock.creatorMchid];
  return {
    status: 200,
    body: {
      ...paginate(context, merchants),
      stock_id: stock.stock_id,
    },
  };
}

function listItems(context: OperationContext) {
  const stock = creatorStock(context, context.params.stock_id, context.query.stock_creator_mchid);
  return {
    status: 200,
    body: {
      ...paginate(context, stock.items),
      stock_id: stock.stock_id,
    },
  };
}

/** 修改可用单品编码: only a single-item stock that has not ended; removed codes must be listed. */
function modifyGoods(context: OperationContext) {
  const { body } = context;
  const stock = creatorStock(context, context.params.stock_id, body.stock_creator_mchid);
  const add = (body.add_goods_id_list as string[] | undefined) ?? [];
  const remove = (body.delete_goods_id_list as string[] | undefined) ?? [];
  if (add.length === 0 && remove.length === 0) {
    throw paramError("add_goods_id_list 与 delete_goods_id_list 至少填写一个", {
      field: "/add_goods_id_list",
      location: "body",
    });
  }
  const refuse = (message: string, field: string, value?: unknown) =>
    invalidRequest(message, { field, location: "body", value, issue: message });
  if (stock.items.length === 0)
    throw refuse("非单品券批次不能修改可用单品", "/stock_id", stock.stock_id);
  if (stock.status === "stoped") throw refuse("批次已结束", "/stock_id", stock.stock_id);
  const absent = remove.find((code) => !stock.items.includes(code));
  if (absent) throw refuse(`单品编码不在可用列表中: ${absent}`, "/delete_goods_id_list", absent);
  const items = [
    ...stock.items.filter((code) => !remove.includes(code)),
    ...add.filter((c) => !stock.items.includes(c)),
  ];
  if (items.length === 0) throw refuse("单品券至少保留一个可用单品", "/delete_goods_id_list");
  if (items.length > 50) throw refuse("可用单品最多50个", "/add_goods_id_list");
  stock.items = [...new Set(items)];
  return {
    status: 200,
    body: { effect_time: formatTime(context.store.now()), stock_id: stock.stock_id },
  };
}

/** 发放代金券: one coupon per out_request_no (the path's openid is part of the request). */
function sendCoupon(context: OperationContext) {
  const { body, params, store } = context;
  return context.once("out_request_no", body.out_request_no, () => {
    checkFavorAppid(context, body.appid, "body", body.stock_id);
    const stock = store.favor.stock(body.stock_id, body.stock_creator_mchid);
    if (stock.creatorMchid !== context.mchid) throw noAuth("发券商户无权发放该批次");
    const coupon = store.favor.send(stock, params.openid, body.appid, context.mchid);
    return { status: 200, body: { coupon_id: coupon.coupon_id } };
  });
}

function getCoupon(context: OperationContext) {
  const { params, query, store } = context;
  checkFavorAppid(context, query.appid, "query");
  const coupon = store.favor.coupon(params.coupon_id, params.openid);
  checkCouponAppid(coupon, query.appid);
  const stock = store.favor.stock(coupon.stock_id);
  if (stock.creatorMchid !== context.mchid && coupon.senderMchid !== context.mchid)
    throw noAuth("无权查询该券");
  return { status: 200, body: store.favor.couponView(coupon) };
}

function checkCouponAppid(coupon: FavorCouponRecord, appid: string) {
  if (coupon.appid !== appid) {
    throw invalidRequest("OpenID与AppID不匹配", {
      field: "appid",
      location: "query",
      value: appid,
      issue: "the openid was not obtained under this AppID",
    });
  }
}

/**
 * 根据商户号查用户的券: one of creator_mchid, sender_mchid, available_mchid (each the caller);
 * available_mchid answers every usable coupon there, unpaged, ignoring stock_id and status.
 */
function listCoupons(context: OperationContext) {
  const { params, query, store } = context;
  checkFavorAppid(context, query.appid, "query");
  const filters = ["creator_mchid", "sender_mchid", "available_mchid"].filter((f) => query[f]);
  if (filters.length === 0) {
    throw paramError("creator_mchid、sender_mchid、available_mchid 至少填写一个", {
      field: "creator_mchid",
      location: "query",
      issue: "one of creator_mchid, sender_mchid, available_mchid is required",
    });
  }
  for (const f of filters) if (query[f] !== context.mchid) throw noAuth(`无权查询 ${f} 的券`);
  if (query.stock_id && !store.favor.stocks.has(query.stock_id))
    throw notFound(`批次不存在: ${query.stock_id}`);
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 20;
  const mine = [...store.favor.coupons.values()]
    .filter((c) => c.openid === params.openid && c.appid === query.appid)
    .map((c) => store.favor.refreshCoupon(c))
    .sort((a, b) => b.createdAt - a.createdAt);
  if (query.available_mchid && !query.creator_mchid) {
    const usable = mine.filter((c) => {
      const merchants = store.favor.stock(c.stock_id).definition.coupon_use_rule
        .available_merchants as string[] | undefined;
      return (
        c.status === "SENDED" &&
        (merchants ?? [store.favor.stock(c.stock_id).creatorMchid]).includes(query.available_mchid)
      );
    });
    return {
      status: 200,
      body: {
        total_count: usable.length,
        offset,
        limit,
        data: usable.map((c) => store.favor.couponView(c)),
      },
    };
  }
  // SENDED: usable only; USED: usable and used; none: all but the expired.
  const states = query.status === "SENDED" ? ["SENDED"] : ["SENDED", "USED"];
  const matching = mine.filter(
    (c) =>
      states.includes(c.status) &&
      (!query.stock_id || c.stock_id === query.stock_id) &&
      (!query.creator_mchid ||
        store.favor.stock(c.stock_id).creatorMchid === query.creator_mchid) &&
      (!query.sender_mchid || c.senderMchid === query.sender_mchid),
  );
  return { status: 200, body: paginate(context, matching, (c) => store.favor.couponView(c)) };
}

function billLink(context: OperationContext, token: string) {
  return `${context.origin}${BILL_PATH}?token=${token}`;
}

function ownFlowStock(context: OperationContext): FavorStockRecord {
  const stock = context.store.favor.stock(context.params.stock_id);
  if (stock.creatorMchid !== context.mchid) throw noAuth("该接口只能使用创建活动方进行调用");
  return stock;
}

const endedFlow = (kind: "use" | "refund") => (context: OperationContext) => {
  const stock = ownFlowStock(context);
  const rows = context.store.favor.flowOfEndedStock(stock, kind);
  const { token, sha1 } = context.store.favor.issueBill(kind, rows, context.mchid);
  return {
    status: 200,
    body: { url: billLink(context, token), hash_value: sha1, hash_type: "SHA1" },
  };
};

const dayFlow = (kind: "use" | "refund") => (context: OperationContext) => {
  const stock = ownFlowStock(context);
  const rows = context.store.favor.flowOfDay(stock, kind, context.query.bill_date);
  const { token, sha1, count } = context.store.favor.issueBill(kind, rows, context.mchid);
  const prefix = kind === "use" ? "stock_useflow" : "stock_refundflow";
  return {
    status: 200,
    body: {
      url: billLink(context, token),
      [`${prefix}_hash`]: sha1,
      [`${prefix}_count`]: String(count),
    },
  };
};

/** 设置代金券消息通知地址: only the creating merchant itself; switch false is not supported. */
function setCallback(context: OperationContext) {
  const { body, store } = context;
  if (body.mchid !== context.mchid) {
    throw invalidRequest("非法的商户号", {
      field: "/mchid",
      location: "body",
      value: body.mchid,
      issue: "must be the calling merchant",
    });
  }
  if (body.switch === false) {
    throw invalidRequest("回调开关暂不支持设置为false，请在商户平台关闭券的回调通知", {
      field: "/switch",
      location: "body",
      value: false,
    });
  }
  const now = store.now();
  store.favor.callbacks.set(context.mchid, { notify_url: body.notify_url, updatedAt: now });
  return { status: 200, body: { update_time: formatTime(now), notify_url: body.notify_url } };
}

function getCallback(context: OperationContext) {
  const { query, store } = context;
  if (query.mchid !== context.mchid) throw noAuth("无权查询该商户号的通知地址");
  const callback = store.favor.callbacks.get(context.mchid);
  if (!callback) throw notFound("未设置消息通知地址");
  return {
    status: 200,
    body: { notify_url: callback.notify_url, mchid: context.mchid } satisfies Json,
  };
}

export const favorHandlers: HandlerTable = {
  "POST /v3/marketing/favor/coupon-stocks": createStock,
  "POST /v3/marketing/favor/stocks/{stock_id}/start": startStock,
  "POST /v3/marketing/favor/stocks/{stock_id}/pause": pauseStock,
  "POST /v3/marketing/favor/stocks/{stock_id}/restart": restartStock,
  "GET /v3/marketing/favor/stocks/{stock_id}": getStock,
  "GET /v3/marketing/favor/stocks": listStocks,
  "GET /v3/marketing/favor/stocks/{stock_id}/merchants": listMerchants,
  "GET /v3/marketing/favor/stocks/{stock_id}/items": listItems,
  "POST /v3/marketing/favor/stocks/{stock_id}/modify-goods-id": modifyGoods,
  "POST /v3/marketing/favor/users/{openid}/coupons": sendCoupon,
  "GET /v3/marketing/favor/users/{openid}/coupons": listCoupons,
  "GET /v3/marketing/favor/users/{openid}/coupons/{coupon_id}": getCoupon,
  "GET /v3/marketing/favor/stocks/{stock_id}/use-flow": endedFlow("use"),
  "GET /v3/marketing/favor/stocks/{stock_id}/refund-flow": endedFlow("refund"),
  "GET /v3/marketing/favor/stocks/{stock_id}/use-flow-by-day": dayFlow("use"),
  "GET /v3/marketing/favor/stocks/{stock_id}/refund-flow-by-day": dayFlow("refund"),
  "POST /v3/marketing/favor/callbacks": setCallback,
  "GET /v3/marketing/favor/callbacks": getCallback,
};
