import { formatTime, invalidRequest, notFound, paginate } from "../reply.js";
import type { Json, PartnershipRecord } from "../store.js";
import type { HandlerTable, OperationContext } from "./context.js";

/** A partnership as 查询合作关系列表 lists it: no state; an ended one has its terminate_time. */
function partnershipRecord(p: PartnershipRecord): Json {
  return {
    partner: p.partner,
    authorized_data: p.authorized_data,
    build_time: formatTime(p.buildTime),
    ...(p.terminateTime !== undefined ? { terminate_time: formatTime(p.terminateTime) } : {}),
    create_time: formatTime(p.createdAt),
    update_time: formatTime(p.updatedAt),
  };
}

/** A partnership as 建立合作关系 answers it: with its state, never terminated yet. */
function partnershipView(p: PartnershipRecord): Json {
  return {
    partner: p.partner,
    authorized_data: p.authorized_data,
    state: p.state,
    build_time: formatTime(p.buildTime),
    create_time: formatTime(p.createdAt),
    update_time: formatTime(p.updatedAt),
  };
}

/**
 * The business rules of the partner and the authorised stock. Which ID each partner type needs, and
 * that every stock type names its stock, are the document's variants (the request validator).
 */
function checkParties(context: OperationContext): void {
  const { partner, authorized_data: data } = context.body;
  if (partner.type === "MERCHANT" && partner.merchant_id === context.mchid) {
    throw invalidRequest("不能与自己建立合作关系", {
      field: "/partner/merchant_id",
      location: "body",
    });
  }
  // The authorised stock must exist and be the merchant's own: a merchant coupon (商家券) stock
  // for BUSIFAVOR_STOCK, a cash coupon (代金券) stock for FAVOR_STOCK.
  const stocks =
    data.business_type === "FAVOR_STOCK" ? context.store.favor.stocks : context.store.stocks;
  const stock = stocks.get(data.stock_id);
  if (!stock || stock.creatorMchid !== context.mchid)
    throw notFound(`批次不存在: ${data.stock_id}`);
}

const samePair = (p: PartnershipRecord, body: Json) =>
  p.partner.type === body.partner.type &&
  (p.partner.appid ?? "") === (body.partner.appid ?? "") &&
  (p.partner.merchant_id ?? "") === (body.partner.merchant_id ?? "") &&
  p.authorized_data.business_type === body.authorized_data.business_type &&
  p.authorized_data.stock_id === body.authorized_data.stock_id;

/** 建立合作关系: idempotent on the Idempotency-Key header; one ESTABLISHED pair at a time. */
function buildPartnership(context: OperationContext) {
  const { body, store } = context;
  return context.once("Idempotency-Key", context.headers["idempotency-key"] as string, () => {
    checkParties(context);
    if (store.partnerships.some((p) => p.state === "ESTABLISHED" && samePair(p, body))) {
      throw invalidRequest("合作关系已存在", { field: "/partner", location: "body" });
    }
    const now = store.now();
    const partnership: PartnershipRecord = {
      partner: structuredClone(body.partner),
      authorized_data: structuredClone(body.authorized_data),
      state: "ESTABLISHED",
      createdAt: now,
      updatedAt: now,
      buildTime: now,
    };
    store.partnerships.push(partnership);
    return { status: 200, body: partnershipView(partnership) };
  });
}

/** 终止合作关系 (not in every edition of the spec): ESTABLISHED -> TERMINATED. */
function terminatePartnership(context: OperationContext) {
  const { body, store } = context;
  return context.once("Idempotency-Key", context.headers["idempotency-key"] as string, () => {
    const partnership = store.partnerships.find(
      (p) => p.state === "ESTABLISHED" && samePair(p, body),
    );
    if (!partnership) throw notFound("合作关系不存在或已终止");
    const now = store.now();
    partnership.state = "TERMINATED";
    partnership.terminateTime = now;
    partnership.updatedAt = now;
    return { status: 200, body: { terminate_time: formatTime(now) } };
  });
}

function listPartnerships(context: OperationContext) {
  const { query, store } = context;
  const partner = (query.partner ?? {}) as Json;
  const data = (query.authorized_data ?? {}) as Json;
  const matches = store.partnerships.filter(
    (p) =>
      (!partner.type || p.partner.type === partner.type) &&
      (!partner.appid || p.partner.appid === partner.appid) &&
      (!partner.merchant_id || p.partner.merchant_id === partner.merchant_id) &&
      (!data.business_type || p.authorized_data.business_type === data.business_type) &&
      (!data.stock_id || p.authorized_data.stock_id === data.stock_id),
  );
  return { status: 200, body: paginate(context, matches, partnershipRecord) };
}

export const partnershipHandlers: HandlerTable = {
  "POST /v3/marketing/partnerships/build": buildPartnership,
  "POST /v3/marketing/partnerships/terminate": terminatePartnership,
  "GET /v3/marketing/partnerships": listPartnerships,
};
