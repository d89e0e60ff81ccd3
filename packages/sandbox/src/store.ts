import { FavorStore } from "./favor-store.js";
import type { RequestBody, SuccessBody } from "./handlers/operation-types.js";
import {
  BusinessError,
  businessDay,
  canonicalJson,
  formatTime,
  invalidRequest,
  notFound,
  parseTime,
  type Reply,
} from "./reply.js";

/** A stock as 创建商家券 defined it (validated against the document), changed by PATCH and budget updates. */
export type StockDefinition = RequestBody<"createBusifavorStock">;

/** The partner and the authorised resource of a partnership, as 建立合作关系 named them. */
export type PartnershipParties = RequestBody<"buildPartnership">;

/**
 * A merchant coupon as 查询用户单张券详情 shows it (and the control API's issued coupons); the
 * sandbox always fills in the coupon's code, stock and state, which the schema leaves optional.
 */
export type UserCouponView = SuccessBody<"getBusifavorUserCoupon"> &
  Required<
    Pick<SuccessBody<"getBusifavorUserCoupon">, "coupon_code" | "stock_id" | "coupon_state">
  >;

export type SubsidyReceipt = SuccessBody<"createBusifavorSubsidyPayReceipt">;
export type SubsidyReturnReceipt = SuccessBody<"createBusifavorSubsidyReturnReceipt">;

export type CouponState = "SENDED" | "USED" | "EXPIRED" | "DELETED" | "DEACTIVATED";

export interface StockRecord {
  stock_id: string;
  creatorMchid: string;
  createdAt: number;
  /** The creation body (minus out_request_no), updated by PATCH and budget changes. */
  definition: StockDefinition;
  stock_state: "UNAUDIT" | "RUNNING" | "STOPED" | "PAUSED";
  /** MERCHANT_UPLOAD mode: every code ever uploaded, and those not yet handed out. */
  uploadedCodes: Map<string, UploadedCode>;
  availableCodes: string[];
  issued: number;
  issuedAmount: number;
  issuedByDay: Map<string, { count: number; amount: number }>;
  perUser: Map<string, number>;
}

export interface UploadedCode {
  uploadedAt: number;
  /** When WeChat Pay handed the code to a user, and to whom. */
  dispatchedAt?: number;
  openid?: string;
}

export interface CouponRecord {
  coupon_code: string;
  stock_id: string;
  openid: string;
  appid: string;
  state: CouponState;
  receiveTime: number;
  availableStartTime: number;
  expireTime: number;
  send_request_no: string;
  use_request_no?: string;
  useTime?: number;
  /** How many times the coupon was redeemed: never more than 1 between returns. */
  useCount: number;
  associatedTradeNo?: string;
}

export interface ActivityRecord {
  activity_id: string;
  creatorMchid: string;
  createdAt: number;
  updatedAt: number;
  request: RequestBody<"createPayGiftUniqueThresholdActivity">;
  terminatedAt?: number;
  merchants: Map<string, { createdAt: number; updatedAt: number }>;
}

export interface PartnershipRecord {
  partner: PartnershipParties["partner"];
  authorized_data: PartnershipParties["authorized_data"];
  state: "ESTABLISHED" | "TERMINATED";
  createdAt: number;
  updatedAt: number;
  buildTime: number;
  terminateTime?: number;
}

export interface IssueCouponInput {
  stock_id: string;
  openid: string;
  appid: string;
  send_request_no?: string | undefined;
  /** MERCHANT_API mode: the merchant's own code. */
  coupon_code?: string | undefined;
  /**
   * The send-coupon plug-in and H5发券 keep 发券凭证 unique per stock *and user*; the API keeps
   * send_request_no unique per stock.
   */
  sendRequestNoPerUser?: boolean;
  /** customize_send_time: a relative validity period counts from this time instead of now. */
  validFrom?: number | undefined;
}

/**
 * A product-coupon pre-issue (向用户预发放商品券): it holds one coupon of the stock's budget
 * until the coupon component spends it, once.
 */
export interface PreSendRecord {
  token: string;
  stock_id: string;
  appid: string;
  send_request_no: string;
  /** The user, when the pre-issue named one; otherwise whoever opens the component. */
  openid?: string | undefined;
  coupon_code?: string | undefined;
  reservedAt: number;
  /** The coupon it became; a claimed token holds no budget and cannot be claimed again. */
  claimedCoupon?: string;
}

/** The sandbox's business state: everything lives in memory and dies with the server. */
export class SandboxStore {
  readonly stocks = new Map<string, StockRecord>();
  /** Keyed `${stock_id}/${coupon_code}`. */
  readonly coupons = new Map<string, CouponRecord>();
  readonly activities = new Map<string, ActivityRecord>();
  readonly partnerships: PartnershipRecord[] = [];
  readonly callbacks = new Map<string, { notify_url: string; updatedAt: number }>();
  readonly subsidyReceipts = new Map<string, SubsidyReceipt>();
  readonly subsidyReturns = new Map<string, SubsidyReturnReceipt>();
  /** Consumer cards (消费卡) by card_id: the codes handed out, by openid. */
  readonly consumerCards = new Map<string, Map<string, string>>();
  /** Product-coupon pre-issue tokens, claimed or not. */
  readonly preSendTokens = new Map<string, PreSendRecord>();
  /** Images uploaded with 图片上传(营销专用), by the media_url they were given. */
  readonly images = new Map<
    string,
    { sha256: string; size: number; format: "JPG" | "PNG" | "BMP"; uploadedAt: number }
  >();
  /** Cash coupons (代金券): stocks, users' coupons, flows and bill files. */
  readonly favor = new FavorStore(this);
  private readonly requestNumbers = new Map<string, { fingerprint: string; reply: Reply }>();
  /** How many times each business request number changed state (1 at most, by design). */
  readonly applications = new Map<string, number>();
  private sequence = 0;
  private clockOffset = 0;

  /** Business time: real time plus whatever POST /sandbox/clock added. */
  now(): number {
    return Date.now() + this.clockOffset;
  }

  advanceClock(ms: number): number {
    this.clockOffset += ms;
    return this.now();
  }

  nextId(prefix: string, digits: number): string {
    this.sequence += 1;
    return `${prefix}${String(this.sequence).padStart(digits, "0")}`;
  }

  /**
   * Runs a state change once per business request number: the same number with the same
   * request answers the first result; with a different request it is refused. Failed attempts
   * are not remembered, so a corrected retry goes through (as on WeChat Pay).
   */
  once(scope: string, number: string, request: unknown, run: () => Reply): Reply {
    const key = `${scope}|${number}`;
    const fingerprint = canonicalJson(request);
    const previous = this.requestNumbers.get(key);
    if (previous) {
      if (previous.fingerprint === fingerprint) return previous.reply;
      throw invalidRequest("请求单号重复，但请求参数与首次请求不一致", {
        field: scope.split("|").pop() ?? "request_no",
        issue: `the request number ${number} was used before with different parameters`,
      });
    }
    const reply = run();
    this.requestNumbers.set(key, { fingerprint, reply });
    this.applications.set(key, (this.applications.get(key) ?? 0) + 1);
    return reply;
  }

  stock(stockId: string): StockRecord {
    const stock = this.stocks.get(stockId);
    if (!stock) throw notFound(`批次不存在: ${stockId}`);
    return stock;
  }

  /** The coupon's state now: a SENDED coupon past its expiry becomes EXPIRED. */
  refresh(coupon: CouponRecord): CouponRecord {
    if (coupon.state === "SENDED" && this.now() > coupon.expireTime) coupon.state = "EXPIRED";
    return coupon;
  }

  /** Finds a coupon by code (and stock, when given); codes of different stocks may clash. */
  coupon(code: string, stockId?: string): CouponRecord {
    if (stockId) {
      const coupon = this.coupons.get(`${stockId}/${code}`);
      if (!coupon) throw notFound(`券不存在: ${code}`);
      return this.refresh(coupon);
    }
    const matches = [...this.coupons.values()].filter((c) => c.coupon_code === code);
    if (matches.length === 0) throw notFound(`券不存在: ${code}`);
    if (matches.length > 1) {
      throw new BusinessError(400, "PARAM_ERROR", "券code对应多个批次，请传入stock_id", {
        field: "stock_id",
        location: "body",
        issue: "required when the code exists in several stocks",
      });
    }
    return this.refresh(matches[0] as CouponRecord);
  }

  /** What the stock's unclaimed pre-issue tokens hold, leaving out `except`. */
  reserved(
    stock: StockRecord,
    except?: string,
  ): { count: number; amount: number; byUser: Map<string, number> } {
    const byUser = new Map<string, number>();
    let count = 0;
    for (const record of this.preSendTokens.values()) {
      if (record.stock_id !== stock.stock_id || record.claimedCoupon || record.token === except) {
        continue;
      }
      count += 1;
      if (record.openid) byUser.set(record.openid, (byUser.get(record.openid) ?? 0) + 1);
    }
    return { count, amount: count * faceValue(stock), byUser };
  }

  /**
   * Whether one more coupon of the stock may go out now: state, validity, total and daily
   * budget (count and amount), per-user limit and uploaded codes, counting what unclaimed
   * pre-issue tokens (other than `reservation`) hold. Throws INVALID_REQUEST naming the limit.
   */
  checkBudget(stock: StockRecord, openid: string | undefined, reservation?: string): void {
    const now = this.now();
    const window = stock.definition.coupon_use_rule.coupon_available_time;
    const send = stock.definition.stock_send_rule;
    if (stock.stock_state !== "RUNNING") {
      throw invalidRequest(`批次状态为 ${stock.stock_state}，不可发券`, { field: "stock_state" });
    }
    if (now > parseTime(window.available_end_time)) {
      throw invalidRequest("批次已过期，不可发券", { field: "available_end_time" });
    }
    const held = this.reserved(stock, reservation);
    const value = faceValue(stock);
    const today = stock.issuedByDay.get(businessDay(now)) ?? { count: 0, amount: 0 };
    const limit = (field: string, message: string) =>
      invalidRequest(message, { field: `stock_send_rule.${field}`, issue: message });
    if (send.max_coupons !== undefined && stock.issued + held.count >= send.max_coupons) {
      throw limit("max_coupons", "批次已发完 (max_coupons reached)");
    }
    if (
      send.max_amount !== undefined &&
      stock.issuedAmount + held.amount + value > send.max_amount
    ) {
      throw limit("max_amount", "批次预算不足 (max_amount reached)");
    }
    if (send.max_coupons_by_day !== undefined && today.count >= send.max_coupons_by_day) {
      throw limit("max_coupons_by_day", "今日发放已达上限 (max_coupons_by_day reached)");
    }
    if (send.max_amount_by_day !== undefined && today.amount + value > send.max_amount_by_day) {
      throw limit("max_amount_by_day", "今日预算不足 (max_amount_by_day reached)");
    }
    if (openid !== undefined) {
      const received = (stock.perUser.get(openid) ?? 0) + (held.byUser.get(openid) ?? 0);
      if (received >= send.max_coupons_per_user) {
        throw limit("max_coupons_per_user", "用户领券已达上限 (max_coupons_per_user reached)");
      }
    }
    if (
      stock.definition.coupon_code_mode === "MERCHANT_UPLOAD" &&
      stock.availableCodes.length - held.count <= 0
    ) {
      throw invalidRequest("预存code已用完，请先上传code", { field: "coupon_code_count" });
    }
  }

  /**
   * A user receives a coupon of a stock, within the stock's validity, total and daily budget
   * (count and amount) and the per-user limit. `reservation` is the pre-issue token being
   * spent, whose hold on the budget becomes this coupon.
   */
  issueCoupon(
    input: IssueCouponInput,
    reservation?: string,
  ): { coupon: CouponRecord; created: boolean } {
    const stock = this.stock(input.stock_id);
    const sendRequestNo = input.send_request_no;
    if (sendRequestNo) {
      const existing = [...this.coupons.values()].find(
        (c) =>
          c.stock_id === stock.stock_id &&
          c.send_request_no === sendRequestNo &&
          (!input.sendRequestNoPerUser || c.openid === input.openid),
      );
      if (existing) {
        if (existing.openid !== input.openid) {
          throw invalidRequest("send_request_no 重复，但请求参数与首次请求不一致", {
            field: "send_request_no",
          });
        }
        return { coupon: existing, created: false };
      }
    }
    this.checkBudget(stock, input.openid, reservation);
    const now = this.now();
    const window = stock.definition.coupon_use_rule.coupon_available_time;
    const begin = parseTime(window.available_begin_time);
    const end = parseTime(window.available_end_time);
    const value = faceValue(stock);
    const day = businessDay(now);
    const today = stock.issuedByDay.get(day) ?? { count: 0, amount: 0 };
    const received = stock.perUser.get(input.openid) ?? 0;
    let code: string;
    const mode = stock.definition.coupon_code_mode;
    if (mode === "MERCHANT_UPLOAD") {
      // WeChat Pay picks an uploaded code at random; the merchant cannot choose it.
      const index = Math.floor(Math.random() * stock.availableCodes.length);
      code = stock.availableCodes.splice(index, 1)[0] as string;
      const uploaded = stock.uploadedCodes.get(code);
      if (uploaded) {
        uploaded.dispatchedAt = now;
        uploaded.openid = input.openid;
      }
    } else if (mode === "MERCHANT_API") {
      this.checkMerchantCode(stock, input.coupon_code, reservation);
      code = input.coupon_code as string;
    } else {
      code = this.nextId("8", 11);
    }
    const relative =
      window.wait_days_after_receive ||
      window.available_day_after_receive ||
      window.available_second_after_receive;
    const from = relative ? (input.validFrom ?? now) : now;
    let availableStart = Math.max(begin, from);
    if (window.wait_days_after_receive) {
      availableStart = Math.max(availableStart, from + window.wait_days_after_receive * 86_400_000);
    }
    let expire = end;
    if (window.available_day_after_receive) {
      expire = Math.min(
        end,
        availableStart + window.available_day_after_receive * 86_400_000 - 1000,
      );
    }
    if (window.available_second_after_receive) {
      expire = Math.min(end, from + window.available_second_after_receive * 1000);
    }
    const coupon: CouponRecord = {
      coupon_code: code,
      stock_id: stock.stock_id,
      openid: input.openid,
      appid: input.appid,
      state: "SENDED",
      receiveTime: now,
      availableStartTime: availableStart,
      expireTime: expire,
      send_request_no: sendRequestNo ?? this.nextId("SEND", 12),
      useCount: 0,
    };
    this.coupons.set(`${stock.stock_id}/${code}`, coupon);
    stock.issued += 1;
    stock.issuedAmount += value;
    stock.issuedByDay.set(day, { count: today.count + 1, amount: today.amount + value });
    stock.perUser.set(input.openid, received + 1);
    return { coupon, created: true };
  }

  /** MERCHANT_API mode: the merchant names a code no coupon and no other pre-issue has. */
  checkMerchantCode(stock: StockRecord, code: string | undefined, reservation?: string): void {
    if (!code) {
      throw invalidRequest("MERCHANT_API 模式的批次需由商户指定券code", { field: "coupon_code" });
    }
    const held = [...this.preSendTokens.values()].some(
      (r) =>
        r.stock_id === stock.stock_id &&
        r.coupon_code === code &&
        !r.claimedCoupon &&
        r.token !== reservation,
    );
    if (held || this.coupons.has(`${stock.stock_id}/${code}`)) {
      throw invalidRequest("券code已存在", { field: "coupon_code" });
    }
  }

  /** 向用户预发放商品券: holds one coupon of the budget until the token is claimed. */
  reservePreSend(
    input: Omit<PreSendRecord, "token" | "reservedAt" | "claimedCoupon">,
    token: string,
  ) {
    const stock = this.stock(input.stock_id);
    this.checkBudget(stock, input.openid);
    if (stock.definition.coupon_code_mode === "MERCHANT_API") {
      this.checkMerchantCode(stock, input.coupon_code);
    }
    const record: PreSendRecord = { ...input, token, reservedAt: this.now() };
    this.preSendTokens.set(token, record);
    return record;
  }

  /**
   * The coupon component spends a pre-issue token: the held coupon goes to the user, once. A
   * token already spent is refused (the component shows "already received").
   */
  claimPreSend(token: string, openid?: string): { coupon: CouponRecord; created: boolean } {
    const record = this.preSendTokens.get(token);
    if (!record) throw notFound("预发券token不存在");
    if (record.claimedCoupon) {
      throw invalidRequest("该token的券已被领取，token只能使用一次", {
        field: "token",
        issue: "the token was already spent",
      });
    }
    if (record.openid && openid && record.openid !== openid) {
      throw invalidRequest("该token是为其他用户预发的", { field: "openid" });
    }
    const user = record.openid ?? openid;
    if (!user) {
      throw new BusinessError(400, "PARAM_ERROR", "预发时未指定用户，领券时必须提供openid", {
        field: "openid",
      });
    }
    const { coupon } = this.issueCoupon(
      {
        stock_id: record.stock_id,
        openid: user,
        appid: record.appid,
        send_request_no: record.send_request_no,
        coupon_code: record.coupon_code,
      },
      token,
    );
    record.claimedCoupon = coupon.coupon_code;
    return { coupon, created: true };
  }

  /** GET …/stocks/{stock_id}: the definition plus state, code stock and issue counts. */
  stockView(stock: StockRecord): SuccessBody<"getBusifavorStock"> {
    const today = stock.issuedByDay.get(businessDay(this.now())) ?? { count: 0, amount: 0 };
    const { out_request_no: _omit, ...definition } = stock.definition;
    const send = definition.stock_send_rule;
    return {
      stock_id: stock.stock_id,
      ...definition,
      // WeChat Pay always reports a total budget: max_coupons x face value when none was set.
      stock_send_rule: {
        ...send,
        max_amount: send.max_amount ?? (send.max_coupons ?? 0) * faceValue(stock),
      },
      stock_state: stock.stock_state,
      ...(stock.definition.coupon_code_mode === "MERCHANT_UPLOAD"
        ? {
            coupon_code_count: {
              total_count: stock.uploadedCodes.size,
              available_count: stock.availableCodes.length,
            },
          }
        : {}),
      send_count_information: {
        total_send_num: stock.issued,
        total_send_amount: stock.issuedAmount,
        today_send_num: today.count,
        today_send_amount: today.amount,
      },
    };
  }

  /** A coupon as the user-coupon queries show it: its stock's look and rules plus its own state. */
  couponView(coupon: CouponRecord): UserCouponView {
    const stock = this.stock(coupon.stock_id);
    const d = stock.definition;
    const send = d.stock_send_rule;
    return {
      stock_name: d.stock_name,
      belong_merchant: d.belong_merchant,
      ...(d.comment !== undefined ? { comment: d.comment } : {}),
      goods_name: d.goods_name,
      stock_type: d.stock_type,
      coupon_use_rule: d.coupon_use_rule,
      ...(d.custom_entrance !== undefined ? { custom_entrance: d.custom_entrance } : {}),
      display_pattern_info: d.display_pattern_info ?? {},
      coupon_code: coupon.coupon_code,
      coupon_state: this.refresh(coupon).state,
      stock_id: coupon.stock_id,
      transferable: send.transferable ?? false,
      shareable: send.shareable ?? false,
      send_request_no: coupon.send_request_no,
      ...(coupon.use_request_no ? { use_request_no: coupon.use_request_no } : {}),
      available_start_time: formatTime(coupon.availableStartTime),
      expire_time: formatTime(coupon.expireTime),
      receive_time: formatTime(coupon.receiveTime),
      ...(coupon.useTime !== undefined ? { use_time: formatTime(coupon.useTime) } : {}),
    };
  }
}

/** What one coupon of the stock is worth against `max_amount` (fen). */
export function faceValue(stock: StockRecord): number {
  const rule = stock.definition.coupon_use_rule;
  if (rule.fixed_normal_coupon) return rule.fixed_normal_coupon.discount_amount;
  if (rule.exchange_coupon) return rule.exchange_coupon.exchange_price;
  return 0;
}
