import {
  formatTime,
  invalidRequest,
  noAuth,
  notFound,
  paginate,
  paramError,
  parseTime,
} from "../reply.js";
import type { Json, StockRecord } from "../store.js";
import type { HandlerTable, OperationContext } from "./context.js";
import { checkAppid, ownStock } from "./guards.js";
import { requireUploadedImages, STOCK_IMAGE_FIELDS } from "./images.js";

/**
 * 创建商家券: validity and budget must be coherent; the logo and other pictures must come from
 * 图片上传(营销专用). That the coupon rule matches stock_type, and that MINI_PROGRAMS names the Mini
 * Program, the request validator already checked from the document's variants.
 */
function createStock(context: OperationContext) {
  const { body, store } = context;
  return context.once("out_request_no", body.out_request_no, () => {
    requireUploadedImages(store, body, STOCK_IMAGE_FIELDS);
    const rule = body.coupon_use_rule as Json;
    const window = rule.coupon_available_time as Json;
    if (parseTime(window.available_end_time) <= parseTime(window.available_begin_time)) {
      throw invalidRequest("可用结束时间必须晚于开始时间", {
        field: "/coupon_use_rule/coupon_available_time/available_end_time",
        location: "body",
      });
    }
    if (parseTime(window.available_end_time) <= store.now()) {
      throw invalidRequest("可用结束时间必须晚于当前时间", {
        field: "/coupon_use_rule/coupon_available_time/available_end_time",
        location: "body",
      });
    }
    const send = body.stock_send_rule as Json;
    if (send.max_coupons === undefined && send.max_amount === undefined) {
      throw paramError("max_coupons 与 max_amount 至少填写一个", {
        field: "/stock_send_rule/max_coupons",
        location: "body",
      });
    }
    if (send.max_coupons !== undefined && send.max_coupons_per_user > send.max_coupons) {
      throw invalidRequest("单用户领取上限不能大于批次最大发放个数", {
        field: "/stock_send_rule/max_coupons_per_user",
        location: "body",
      });
    }
    if (
      send.max_coupons !== undefined &&
      send.max_coupons_by_day !== undefined &&
      send.max_coupons_by_day > send.max_coupons
    ) {
      throw invalidRequest("单天发放上限不能大于批次最大发放个数", {
        field: "/stock_send_rule/max_coupons_by_day",
        location: "body",
      });
    }
    const now = store.now();
    const stock: StockRecord = {
      stock_id: store.nextId("1265", 10),
      creatorMchid: context.mchid,
      createdAt: now,
      definition: structuredClone(body),
      stock_state: "RUNNING",
      uploadedCodes: new Map(),
      availableCodes: [],
      issued: 0,
      issuedAmount: 0,
      issuedByDay: new Map(),
      perUser: new Map(),
    };
    store.stocks.set(stock.stock_id, stock);
    return { status: 200, body: { stock_id: stock.stock_id, create_time: formatTime(now) } };
  });
}

function getStock(context: OperationContext) {
  const stock = ownStock(context, context.params.stock_id);
  return { status: 200, body: context.store.stockView(stock) };
}

/**
 * 修改商家券基本信息: only the fields the PATCH body carries change, and only those the
 * document's update schema names reach here (known-fields.ts): never the type, the code mode,
 * the validity or the budget, which 修改批次预算 changes under its own rules. Nested objects
 * merge into what the stock has (new pictures from 图片上传(营销专用) only); 204 on success.
 */
function updateStock(context: OperationContext) {
  const { body, store } = context;
  const stock = ownStock(context, context.params.stock_id);
  return context.once("out_request_no", body.out_request_no, () => {
    requireUploadedImages(store, body, STOCK_IMAGE_FIELDS);
    const { out_request_no: _number, ...changes } = body;
    const merged: Json = { ...stock.definition };
    for (const [key, value] of Object.entries(changes)) {
      const current = merged[key];
      merged[key] =
        isObject(value) && isObject(current) ? { ...current, ...value } : structuredClone(value);
    }
    // The body alone may be valid while the merged stock is not (MINI_PROGRAMS set now, the
    // Mini Program never): the document's rule, applied to the result.
    const rule = merged.coupon_use_rule as Json;
    if (
      rule.use_method === "MINI_PROGRAMS" &&
      (!rule.mini_programs_appid || !rule.mini_programs_path)
    ) {
      throw paramError("核销方式为小程序时必须填写 mini_programs_appid 与 mini_programs_path", {
        field: "/coupon_use_rule/mini_programs_appid",
        location: "body",
      });
    }
    stock.definition = merged;
    return { status: 204 };
  });
}

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** 修改批次预算: current_* must match the stock (a guard against lost updates). */
function updateBudget(context: OperationContext) {
  const { body, store } = context;
  const stock = ownStock(context, context.params.stock_id);
  return context.once("modify_budget_request_no", body.modify_budget_request_no, () => {
    const send = stock.definition.stock_send_rule as Json;
    if (body.target_max_coupons === undefined && body.target_max_coupons_by_day === undefined) {
      throw paramError("target_max_coupons 与 target_max_coupons_by_day 至少填写一个", {
        field: "/target_max_coupons",
        location: "body",
      });
    }
    if (send.max_coupons === undefined) {
      throw invalidRequest("批次未设置 max_coupons，无法修改发放个数", {
        field: "/target_max_coupons",
      });
    }
    if (body.current_max_coupons !== undefined && body.current_max_coupons !== send.max_coupons) {
      throw invalidRequest("current_max_coupons 与批次当前最大发放个数不一致", {
        field: "/current_max_coupons",
        location: "body",
        value: body.current_max_coupons,
      });
    }
    if (
      body.current_max_coupons_by_day !== undefined &&
      body.current_max_coupons_by_day !== send.max_coupons_by_day
    ) {
      throw invalidRequest("current_max_coupons_by_day 与批次当前单天发放上限不一致", {
        field: "/current_max_coupons_by_day",
        location: "body",
        value: body.current_max_coupons_by_day,
      });
    }
    const maxCoupons = body.target_max_coupons ?? send.max_coupons;
    const byDay = body.target_max_coupons_by_day ?? send.max_coupons_by_day;
    // Coupons held by unclaimed pre-issue tokens count as issued.
    if (maxCoupons < stock.issued + store.reserved(stock).count) {
      throw invalidRequest("目标最大发放个数不能小于已发放个数", {
        field: "/target_max_coupons",
        location: "body",
        value: maxCoupons,
      });
    }
    if (byDay !== undefined && byDay > maxCoupons) {
      throw invalidRequest("单天发放上限不能大于批次最大发放个数", {
        field: "/target_max_coupons_by_day",
        location: "body",
      });
    }
    stock.definition.stock_send_rule = {
      ...send,
      max_coupons: maxCoupons,
      ...(byDay !== undefined ? { max_coupons_by_day: byDay } : {}),
    };
    return {
      status: 200,
      body: {
        max_coupons: maxCoupons,
        ...(byDay !== undefined ? { max_coupons_by_day: byDay } : {}),
      },
    };
  });
}

const MAX_UPLOADED_CODE = /^[0-9A-Za-z_-]{1,32}$/;

/** 上传预存code: MERCHANT_UPLOAD stocks only; never more codes than max_coupons. */
function uploadCodes(context: OperationContext) {
  const { body, store } = context;
  const stock = ownStock(context, context.params.stock_id);
  return context.once("upload_request_no", body.upload_request_no, () => {
    if (stock.definition.coupon_code_mode !== "MERCHANT_UPLOAD") {
      throw invalidRequest("批次券code模式不是 MERCHANT_UPLOAD，不能上传code", {
        field: "coupon_code_mode",
      });
    }
    const list = (body.coupon_code_list ?? []) as string[];
    if (list.length === 0) {
      throw paramError("coupon_code_list 不能为空", {
        field: "/coupon_code_list",
        location: "body",
      });
    }
    const seen = new Set<string>();
    const success: string[] = [];
    const duplicate: string[] = [];
    const exist: string[] = [];
    const fail: { coupon_code: string; code: string; message: string }[] = [];
    const maxCoupons = (stock.definition.stock_send_rule as Json).max_coupons as number | undefined;
    for (const code of list) {
      if (seen.has(code)) {
        duplicate.push(code);
        continue;
      }
      seen.add(code);
      if (stock.uploadedCodes.has(code)) exist.push(code);
      else if (!MAX_UPLOADED_CODE.test(code)) {
        fail.push({
          coupon_code: code,
          code: "PARAM_ERROR",
          message: "code只能包含数字、字母、_、-，且不超过32位",
        });
      } else if (maxCoupons !== undefined && stock.uploadedCodes.size >= maxCoupons) {
        fail.push({
          coupon_code: code,
          code: "LIMIT_EXCEEDED",
          message: "上传code总数不能超过批次最大发放个数",
        });
      } else {
        stock.uploadedCodes.set(code, { uploadedAt: store.now() });
        stock.availableCodes.push(code);
        success.push(code);
      }
    }
    return {
      status: 200,
      body: {
        stock_id: stock.stock_id,
        total_count: list.length,
        success_count: success.length,
        success_codes: success,
        success_time: formatTime(store.now()),
        fail_count: fail.length,
        fail_codes: fail,
        exist_codes: exist,
        duplicate_codes: duplicate,
      },
    };
  });
}

function setCallback(context: OperationContext) {
  const { body, store } = context;
  const mchid = body.mchid ?? context.mchid;
  if (mchid !== context.mchid) throw noAuth("无权为其他商户设置通知地址");
  const now = store.now();
  store.callbacks.set(mchid, { notify_url: body.notify_url, updatedAt: now });
  return {
    status: 200,
    body: { notify_url: body.notify_url, mchid, update_time: formatTime(now) },
  };
}

function getCallback(context: OperationContext) {
  const mchid = context.query.mchid ?? context.mchid;
  if (mchid !== context.mchid) throw noAuth("无权查询其他商户的通知地址");
  const callback = context.store.callbacks.get(mchid);
  if (!callback) throw notFound("商户未设置商家券事件通知地址");
  return {
    status: 200,
    body: { notify_url: callback.notify_url, mchid, update_time: formatTime(callback.updatedAt) },
  };
}

/** 核销用户券: only a SENDED coupon inside its validity, once; the openid must be its owner. */
function useCoupon(context: OperationContext) {
  const { body, store } = context;
  checkAppid(context, body.appid, "body");
  return context.once("use_request_no", body.use_request_no, () => {
    const coupon = store.coupon(body.coupon_code, body.stock_id);
    ownStock(context, coupon.stock_id);
    if (body.openid && body.openid !== coupon.openid) {
      throw invalidRequest("券不属于该用户", { field: "/openid", location: "body" });
    }
    if (coupon.state !== "SENDED") {
      throw invalidRequest(`券状态为 ${coupon.state}，不可核销`, {
        field: "/coupon_code",
        location: "body",
        issue: `coupon state is ${coupon.state}`,
      });
    }
    const now = store.now();
    if (now < coupon.availableStartTime) {
      throw invalidRequest("券未到可用时间", { field: "/coupon_code", location: "body" });
    }
    coupon.state = "USED";
    coupon.use_request_no = body.use_request_no;
    coupon.useTime = parseTime(body.use_time);
    coupon.useCount += 1;
    return {
      status: 200,
      body: {
        stock_id: coupon.stock_id,
        openid: coupon.openid,
        wechatpay_use_time: formatTime(now),
      },
    };
  });
}

/** 申请退券: a USED coupon goes back to SENDED, usable again. */
function returnCoupon(context: OperationContext) {
  const { body, store } = context;
  return context.once("return_request_no", body.return_request_no, () => {
    const coupon = store.coupon(body.coupon_code, body.stock_id);
    ownStock(context, coupon.stock_id);
    if (coupon.state !== "USED") {
      throw invalidRequest(`券状态为 ${coupon.state}，只有已核销的券可以退券`, {
        field: "/coupon_code",
        location: "body",
      });
    }
    coupon.state = "SENDED";
    delete coupon.use_request_no;
    delete coupon.useTime;
    return { status: 200, body: { wechatpay_return_time: formatTime(store.now()) } };
  });
}

/** 使券失效: a SENDED coupon becomes DEACTIVATED for good. */
function deactivateCoupon(context: OperationContext) {
  const { body, store } = context;
  return context.once("deactivate_request_no", body.deactivate_request_no, () => {
    const coupon = store.coupon(body.coupon_code, body.stock_id);
    ownStock(context, coupon.stock_id);
    if (coupon.state !== "SENDED") {
      throw invalidRequest(`券状态为 ${coupon.state}，只有可用的券可以失效`, {
        field: "/coupon_code",
        location: "body",
      });
    }
    coupon.state = "DEACTIVATED";
    return { status: 200, body: { wechatpay_deactivate_time: formatTime(store.now()) } };
  });
}

/** 关联订单信息: an unused coupon carries at most one order. */
function associateCoupon(context: OperationContext) {
  const { body, store } = context;
  return context.once("out_request_no", body.out_request_no, () => {
    const coupon = store.coupon(body.coupon_code, body.stock_id);
    ownStock(context, coupon.stock_id);
    if (coupon.state !== "SENDED") {
      throw invalidRequest(`券状态为 ${coupon.state}，只有有效态(未核销)的券可以关联订单`, {
        field: "/coupon_code",
        location: "body",
      });
    }
    if (coupon.associatedTradeNo !== undefined) {
      throw invalidRequest(`券已关联订单 ${coupon.associatedTradeNo}，请先取消关联`, {
        field: "/out_trade_no",
        location: "body",
      });
    }
    coupon.associatedTradeNo = body.out_trade_no;
    return { status: 200, body: { wechatpay_associate_time: formatTime(store.now()) } };
  });
}

function disassociateCoupon(context: OperationContext) {
  const { body, store } = context;
  return context.once("out_request_no", body.out_request_no, () => {
    const coupon = store.coupon(body.coupon_code, body.stock_id);
    ownStock(context, coupon.stock_id);
    if (coupon.associatedTradeNo !== body.out_trade_no) {
      throw invalidRequest("券未关联该订单", { field: "/out_trade_no", location: "body" });
    }
    delete coupon.associatedTradeNo;
    return { status: 200, body: { wechatpay_disassociate_time: formatTime(store.now()) } };
  });
}

function listUserCoupons(context: OperationContext) {
  const { query, store, params } = context;
  checkAppid(context, query.appid, "query");
  const matches = [...store.coupons.values()]
    .filter((c) => c.openid === params.openid && c.appid === query.appid)
    .filter((c) => {
      const stock = store.stocks.get(c.stock_id);
      if (!stock) return false;
      if (query.stock_id && c.stock_id !== query.stock_id) return false;
      if (query.coupon_state && store.refresh(c).state !== query.coupon_state) return false;
      if (query.creator_merchant && stock.creatorMchid !== query.creator_merchant) return false;
      if (query.belong_merchant && stock.definition.belong_merchant !== query.belong_merchant) {
        return false;
      }
      // Coupons are issued by their stock's creator in the sandbox.
      if (query.sender_merchant && stock.creatorMchid !== query.sender_merchant) return false;
      return true;
    })
    .sort((a, b) => b.receiveTime - a.receiveTime);
  return { status: 200, body: paginate(context, matches, (c) => store.couponView(c)) };
}

function getUserCoupon(context: OperationContext) {
  const { params, store } = context;
  checkAppid(context, params.appid, "path");
  const coupon = [...store.coupons.values()].find(
    (c) =>
      c.coupon_code === params.coupon_code &&
      c.openid === params.openid &&
      c.appid === params.appid,
  );
  if (!coupon) throw notFound("用户券不存在");
  return { status: 200, body: store.couponView(coupon) };
}

export const busifavorHandlers: HandlerTable = {
  "POST /v3/marketing/busifavor/stocks": createStock,
  "GET /v3/marketing/busifavor/stocks/{stock_id}": getStock,
  "PATCH /v3/marketing/busifavor/stocks/{stock_id}": updateStock,
  "PATCH /v3/marketing/busifavor/stocks/{stock_id}/budget": updateBudget,
  "POST /v3/marketing/busifavor/stocks/{stock_id}/couponcodes": uploadCodes,
  "POST /v3/marketing/busifavor/callbacks": setCallback,
  "GET /v3/marketing/busifavor/callbacks": getCallback,
  "POST /v3/marketing/busifavor/coupons/use": useCoupon,
  "POST /v3/marketing/busifavor/coupons/return": returnCoupon,
  "POST /v3/marketing/busifavor/coupons/deactivate": deactivateCoupon,
  "POST /v3/marketing/busifavor/coupons/associate": associateCoupon,
  "POST /v3/marketing/busifavor/coupons/disassociate": disassociateCoupon,
  "GET /v3/marketing/busifavor/users/{openid}/coupons": listUserCoupons,
  "GET /v3/marketing/busifavor/users/{openid}/coupons/{coupon_code}/appids/{appid}": getUserCoupon,
};
