// The cash coupon (代金券) part of the sandbox's state: stocks with their lifecycle and budget,
// users' coupons, use and refund flows, and the bill files served for download. The rules here
// are WeChat Pay's; the HTTP handlers (handlers/favor.ts) map requests onto them.
import { createHash, randomBytes } from "node:crypto";
import type { RequestBody, Schema, SuccessBody } from "./handlers/operation-types.js";
import { BusinessError, businessDay, formatTime, invalidRequest, notFound } from "./reply.js";

/** 创建代金券批次's body as validated against the document, minus out_request_no. */
export type FavorStockDefinition = Omit<RequestBody<"createFavorStock">, "out_request_no"> & {
  /** The sandbox creates NORMAL stocks only (固定面额满减券), which always have this rule. */
  coupon_use_rule: { fixed_normal_coupon: Schema<"FavorFixedNormalCoupon"> };
};

/** An item of a paid order as a payment names it (the control API checks each field). */
export interface PaidGoods {
  goods_id: string;
  quantity: number;
  /** Unit price in fen. */
  price: number;
}

type FavorGoodsDetail = Schema<"FavorGoodsDetail">;
type FavorConsumeInformation = Schema<"FavorConsumeInformation">;

export type FavorStockStatus = "unactivated" | "audit" | "running" | "stoped" | "paused";
export type FavorCouponStatus = "SENDED" | "USED" | "EXPIRED";

export interface FavorStockRecord {
  stock_id: string;
  creatorMchid: string;
  createdAt: number;
  /** The creation body (minus out_request_no). */
  definition: FavorStockDefinition;
  status: FavorStockStatus;
  startTime?: number;
  pauseTime?: number;
  stopTime?: number;
  /** Item codes of a single-item stock (单品券); changed by 修改可用单品编码. */
  items: string[];
  issued: number;
  issuedAmount: number;
  issuedByDay: Map<string, number>;
  /** Coupons received, by openid and by natural person. */
  perUser: Map<string, number>;
  perPerson: Map<string, number>;
  /** Prepaid stocks (no_cash false) lock their budget from the balance when started. */
  locked: number;
  /** Discount actually taken by payments (net of refunds), in fen. */
  spent: number;
}

export interface FavorConsumption {
  time: number;
  mchid: string;
  transactionId: string;
  orderAmount: number;
  discount: number;
  goodsDetail?: FavorGoodsDetail[];
}

export interface FavorCouponRecord {
  coupon_id: string;
  stock_id: string;
  openid: string;
  appid: string;
  senderMchid: string;
  status: FavorCouponStatus;
  createdAt: number;
  availableBegin: number;
  availableEnd: number;
  consume?: FavorConsumption;
}

/** One row of a stock's use or refund flow. */
export interface FavorFlowRow {
  kind: "use" | "refund";
  stock_id: string;
  coupon_id: string;
  at: number;
  consumption: FavorConsumption;
}

export interface BillFileRecord {
  bytes: Buffer;
  sha1: string;
  mchid: string;
  expiresAt: number;
}

/** What a user's profile changes about sending: who the natural person is, and risk control. */
export interface FavorUserProfile {
  naturalPerson?: string;
  risky?: boolean;
}

export interface PaymentInput {
  /** Order total in fen (订单总金额). */
  orderAmount: number;
  /** Merchant where the user pays; the stock's creator by default. */
  mchid?: string | undefined;
  transactionId?: string | undefined;
  goodsDetail?: PaidGoods[] | undefined;
}

const DAY = 86_400_000;
const BEIJING = 8 * 3600_000;
/** The merchant's marketing balance (营销账户) when the sandbox starts: 1,000,000 yuan, in fen. */
export const DEFAULT_FAVOR_BALANCE = 100_000_000;
/** Bill download links are valid for 30 s (下载链接, 30s内有效). */
const BILL_LINK_TTL_MS = 30_000;
/** A creation may start "now": requests take a moment to arrive. */
const START_GRACE_MS = 60_000;
const USE_FLOW_HEADER =
  "批次id,优惠id,优惠类型,优惠金额(元),订单总金额(元),交易类型,支付单号,消耗时间,消耗商户号,单品信息";
const REFUND_FLOW_HEADER =
  "批次id,优惠id,优惠类型,退回金额(元),订单总金额(元),支付单号,退款时间,消耗商户号";

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** 00:00 Beijing time of the day of `ms`, as a time. */
function beijingMidnight(ms: number): number {
  return Math.floor((ms + BEIJING) / DAY) * DAY - BEIJING;
}

export class FavorStore {
  readonly stocks = new Map<string, FavorStockRecord>();
  readonly coupons = new Map<string, FavorCouponRecord>();
  readonly flows: FavorFlowRow[] = [];
  readonly callbacks = new Map<string, { notify_url: string; updatedAt: number }>();
  readonly balances = new Map<string, number>();
  readonly profiles = new Map<string, FavorUserProfile>();
  readonly bills = new Map<string, BillFileRecord>();

  constructor(
    private readonly clock: { now(): number; nextId(prefix: string, digits: number): string },
  ) {}

  now(): number {
    return this.clock.now();
  }

  balance(mchid: string): number {
    return this.balances.get(mchid) ?? DEFAULT_FAVOR_BALANCE;
  }

  /** 创建代金券批次: checks the validity window and the budget; the stock starts unactivated. */
  createStock(mchid: string, body: RequestBody<"createFavorStock">): FavorStockRecord {
    const now = this.now();
    const begin = Date.parse(body.available_begin_time);
    const end = Date.parse(body.available_end_time);
    const window = (issue: string, field = "/available_begin_time") =>
      invalidRequest(issue, { field, location: "body", issue });
    if (body.belong_merchant !== mchid) {
      throw invalidRequest("归属商户号暂时只能填写创建代金券的商户号", {
        field: "/belong_merchant",
        location: "body",
        value: body.belong_merchant,
      });
    }
    if (begin < now - START_GRACE_MS) throw window("开始时间不可早于当前时间");
    if (begin > now + 365 * DAY) throw window("不能创建365天后开始的批次");
    if (end <= begin) throw window("结束时间必须晚于开始时间", "/available_end_time");
    if (end - begin > 90 * DAY) throw window("批次可用时间范围最长为90天", "/available_end_time");
    if (body.stock_type !== "NORMAL") {
      throw invalidRequest("沙箱只能创建 NORMAL (固定面额满减券) 批次", {
        field: "/stock_type",
        location: "body",
        value: body.stock_type,
      });
    }
    const rule = body.coupon_use_rule;
    const fixed = rule.fixed_normal_coupon;
    if (!fixed) {
      throw invalidRequest("stock_type 为 NORMAL 时必须填写 fixed_normal_coupon", {
        field: "/coupon_use_rule/fixed_normal_coupon",
        location: "body",
      });
    }
    const send = body.stock_use_rule;
    if (send.max_amount !== fixed.coupon_amount * send.max_coupons) {
      throw new BusinessError(400, "PARAM_ERROR", "批次预算等于批次面额乘以发券数", {
        field: "/stock_use_rule/max_amount",
        location: "body",
        value: send.max_amount,
        issue: `max_amount must be coupon_amount x max_coupons (${fixed.coupon_amount * send.max_coupons})`,
      });
    }
    if (send.max_coupons_per_user > send.max_coupons) {
      throw invalidRequest("单个用户可领个数不能大于发放总上限", {
        field: "/stock_use_rule/max_coupons_per_user",
        location: "body",
      });
    }
    if (send.max_amount_by_day !== undefined && send.max_amount_by_day > send.max_amount) {
      throw invalidRequest("单天发放上限金额不能大于总预算", {
        field: "/stock_use_rule/max_amount_by_day",
        location: "body",
      });
    }
    const pattern = body.pattern_info;
    if (
      pattern?.jump_target === "MINI_PROGRAM" &&
      !(pattern.mini_program_appid && pattern.mini_program_path)
    ) {
      throw invalidRequest("跳转至小程序时必须填写 mini_program_appid 与 mini_program_path", {
        field: "/pattern_info/mini_program_appid",
        location: "body",
      });
    }
    const { out_request_no: _number, ...copy } = structuredClone(body);
    const definition = {
      ...copy,
      coupon_use_rule: { ...copy.coupon_use_rule, fixed_normal_coupon: fixed },
    };
    const stock: FavorStockRecord = {
      stock_id: this.clock.nextId("17", 8),
      creatorMchid: mchid,
      createdAt: now,
      definition,
      status: "unactivated",
      items: [...(rule.available_items ?? [])],
      issued: 0,
      issuedAmount: 0,
      issuedByDay: new Map(),
      perUser: new Map(),
      perPerson: new Map(),
      locked: 0,
      spent: 0,
    };
    this.stocks.set(stock.stock_id, stock);
    return stock;
  }

  /** A stock created by `creator` (RESOURCE_NOT_EXISTS otherwise), its status brought up to date. */
  stock(stockId: string, creator?: string): FavorStockRecord {
    const stock = this.stocks.get(stockId);
    if (!stock || (creator !== undefined && stock.creatorMchid !== creator)) {
      throw notFound(`批次不存在: ${stockId}`);
    }
    return this.refreshStock(stock);
  }

  /** A stock past its end stops for good; a prepaid one gives back what it did not spend. */
  refreshStock(stock: FavorStockRecord): FavorStockRecord {
    const end = Date.parse(stock.definition.available_end_time);
    if (stock.status !== "stoped" && this.now() > end) {
      stock.status = "stoped";
      stock.stopTime = end;
      if (stock.locked > 0) {
        const mchid = stock.creatorMchid;
        this.balances.set(mchid, this.balance(mchid) + stock.locked - stock.spent);
        stock.locked = 0;
      }
    }
    return stock;
  }

  /** unactivated -> running (idempotent); a prepaid stock locks its budget from the balance. */
  start(stock: FavorStockRecord): number {
    if (stock.status === "running" && stock.startTime !== undefined) return stock.startTime;
    this.requireStatus(stock, ["unactivated"], "只有未激活的批次可以激活");
    const budget = stock.definition.stock_use_rule.max_amount as number;
    if (!stock.definition.no_cash) {
      const balance = this.balance(stock.creatorMchid);
      if (balance < budget) {
        throw new BusinessError(403, "NOT_ENOUGH", "账户余额不足，请充值", {
          issue: `the prepaid budget ${budget} exceeds the balance ${balance}`,
        });
      }
      this.balances.set(stock.creatorMchid, balance - budget);
      stock.locked = budget;
    }
    stock.status = "running";
    stock.startTime = this.now();
    return stock.startTime;
  }

  /** running -> paused (idempotent on a paused stock). */
  pause(stock: FavorStockRecord): number {
    if (stock.status === "paused" && stock.pauseTime !== undefined) return stock.pauseTime;
    this.requireStatus(stock, ["running"], "只有运行中的批次可以暂停");
    stock.status = "paused";
    stock.pauseTime = this.now();
    return stock.pauseTime;
  }

  /** paused -> running. */
  restart(stock: FavorStockRecord): number {
    this.requireStatus(stock, ["paused"], "只有暂停的批次可以重启");
    stock.status = "running";
    return this.now();
  }

  private requireStatus(stock: FavorStockRecord, allowed: FavorStockStatus[], message: string) {
    if (!allowed.includes(stock.status)) {
      throw invalidRequest(`${message}，当前状态为 ${stock.status}`, {
        field: "/stock_id",
        location: "path",
        value: stock.stock_id,
        issue: `the stock is ${stock.status}`,
      });
    }
  }

  faceValue(stock: FavorStockRecord): number {
    return stock.definition.coupon_use_rule.fixed_normal_coupon.coupon_amount as number;
  }

  /**
   * 发放代金券: a running stock inside its window, risk control (prevent_api_abuse), the per-user
   * limit (per natural person with natural_person_limit), then the total and daily budget.
   */
  send(stock: FavorStockRecord, openid: string, appid: string, sender: string): FavorCouponRecord {
    const now = this.now();
    const definition = stock.definition;
    const rule = definition.stock_use_rule;
    const begin = Date.parse(definition.available_begin_time);
    if (stock.status !== "running" || now < begin) {
      throw invalidRequest("活动已结束或未激活", {
        field: "/stock_id",
        location: "body",
        value: stock.stock_id,
        issue: `the stock is ${stock.status}${now < begin ? " and has not begun" : ""}`,
      });
    }
    const profile = this.profiles.get(openid) ?? {};
    const refuse = (code: string, message: string, issue: string) =>
      new BusinessError(403, code, message, { field: "/stock_id", location: "body", issue });
    if (rule.prevent_api_abuse && profile.risky) {
      throw refuse(
        "USER_ACCOUNT_ABNORMAL",
        "用户被限制领取代金券",
        "risk control refused the user",
      );
    }
    const limit = rule.max_coupons_per_user as number;
    if ((stock.perUser.get(openid) ?? 0) >= limit) {
      throw refuse("RULE_LIMIT", "用户已达最大领券次数", `max_coupons_per_user (${limit}) reached`);
    }
    const person = profile.naturalPerson ?? openid;
    if (rule.natural_person_limit && (stock.perPerson.get(person) ?? 0) >= limit) {
      throw refuse(
        "USER_AL_GET_COUPON",
        "超过自然人最大限领数",
        `the natural person holds ${limit}`,
      );
    }
    const value = this.faceValue(stock);
    const day = businessDay(now);
    const today = stock.issuedByDay.get(day) ?? 0;
    if (stock.issued >= rule.max_coupons || stock.issuedAmount + value > rule.max_amount) {
      throw refuse("NOT_ENOUGH", "批次预算不足", "max_coupons / max_amount reached");
    }
    if (rule.max_amount_by_day !== undefined && today + value > rule.max_amount_by_day) {
      throw refuse("NOT_ENOUGH", "今日发放已达上限", "max_amount_by_day reached");
    }
    const coupon: FavorCouponRecord = {
      coupon_id: this.clock.nextId("9", 10),
      stock_id: stock.stock_id,
      openid,
      appid,
      senderMchid: sender,
      status: "SENDED",
      createdAt: now,
      ...this.couponWindow(stock, now),
    };
    this.coupons.set(coupon.coupon_id, coupon);
    stock.issued += 1;
    stock.issuedAmount += value;
    stock.issuedByDay.set(day, today + value);
    stock.perUser.set(openid, (stock.perUser.get(openid) ?? 0) + 1);
    stock.perPerson.set(person, (stock.perPerson.get(person) ?? 0) + 1);
    return coupon;
  }

  /** When a coupon received at `now` can be used, within the stock's own window. */
  private couponWindow(stock: FavorStockRecord, now: number) {
    const d = stock.definition;
    const time = d.coupon_use_rule.coupon_available_time ?? {};
    let availableBegin = Math.max(
      now,
      Date.parse(time.available_begin_time ?? d.available_begin_time),
    );
    let availableEnd = Date.parse(time.available_end_time ?? d.available_end_time);
    availableEnd = Math.min(availableEnd, Date.parse(d.available_end_time));
    if (time.second_day_available) availableBegin = beijingMidnight(now) + DAY;
    if (time.available_time_after_receive) {
      availableEnd = Math.min(availableEnd, now + time.available_time_after_receive * 60_000);
    }
    return { availableBegin, availableEnd };
  }

  /** The coupon's state now: a usable coupon past its end has expired. */
  refreshCoupon(coupon: FavorCouponRecord): FavorCouponRecord {
    if (coupon.status === "SENDED" && this.now() > coupon.availableEnd) coupon.status = "EXPIRED";
    return coupon;
  }

  coupon(couponId: string, openid: string): FavorCouponRecord {
    const coupon = this.coupons.get(couponId);
    if (!coupon || coupon.openid !== openid) throw notFound(`查询不到该券: ${couponId}`);
    return this.refreshCoupon(coupon);
  }

  /** The user pays with the coupon: its rules decide whether it applies, and by how much. */
  pay(coupon: FavorCouponRecord, input: PaymentInput): FavorFlowRow {
    const stock = this.refreshStock(this.stock(coupon.stock_id));
    const now = this.now();
    const rule = stock.definition.coupon_use_rule;
    const refuse = (message: string, field: string) =>
      invalidRequest(message, { field, location: "body", issue: message });
    this.refreshCoupon(coupon);
    if (coupon.status !== "SENDED")
      throw refuse(`券状态为 ${coupon.status}，不可使用`, "coupon_id");
    if (now < coupon.availableBegin) throw refuse("券未到可用时间", "coupon_id");
    const weekly = rule.coupon_available_time?.fix_available_time;
    if (weekly) {
      const local = new Date(now + BEIJING);
      const seconds =
        local.getUTCHours() * 3600 + local.getUTCMinutes() * 60 + local.getUTCSeconds();
      const days = weekly.available_week_day ?? [0, 1, 2, 3, 4, 5, 6];
      if (
        !(days as readonly number[]).includes(local.getUTCDay()) ||
        seconds < (weekly.begin_time ?? 0) ||
        seconds > (weekly.end_time ?? 86_399)
      ) {
        throw refuse("当前时段不可使用该券", "coupon_id");
      }
    }
    const mchid = input.mchid ?? stock.creatorMchid;
    const merchants = rule.available_merchants ?? [stock.creatorMchid];
    if (!merchants.includes(mchid)) throw refuse(`商户 ${mchid} 不可核销该券`, "consume_mchid");
    const fixed = rule.fixed_normal_coupon;
    if (input.orderAmount < fixed.transaction_minimum) {
      throw refuse(`订单金额未达到使用门槛 ${fixed.transaction_minimum} 分`, "order_amount");
    }
    let goodsDetail: FavorGoodsDetail[] | undefined;
    if (stock.items.length > 0) {
      const goods = input.goodsDetail ?? [];
      const eligible = goods.find((g) => stock.items.includes(g.goods_id));
      if (!eligible) throw refuse("订单中没有该券可用的单品", "goods_detail");
      goodsDetail = goods.map((g) => ({
        ...g,
        discount_amount: g === eligible ? Math.min(fixed.coupon_amount, g.price * g.quantity) : 0,
      }));
    }
    const discount = Math.min(fixed.coupon_amount, input.orderAmount);
    coupon.status = "USED";
    coupon.consume = {
      time: now,
      mchid,
      transactionId:
        input.transactionId ??
        `4200${businessDay(now).replaceAll("-", "")}${randomBytes(8).readBigUInt64BE().toString().padStart(16, "0").slice(0, 16)}`,
      orderAmount: input.orderAmount,
      discount,
      ...(goodsDetail ? { goodsDetail } : {}),
    };
    stock.spent += discount;
    const row: FavorFlowRow = {
      kind: "use",
      stock_id: stock.stock_id,
      coupon_id: coupon.coupon_id,
      at: now,
      consumption: coupon.consume,
    };
    this.flows.push(row);
    return row;
  }

  /** The payment is refunded: the coupon comes back to the user, unless it has expired meanwhile. */
  refund(coupon: FavorCouponRecord): FavorFlowRow {
    if (coupon.status !== "USED" || !coupon.consume) {
      throw invalidRequest("只有已使用的券可以随退款退回", {
        field: "coupon_id",
        issue: `the coupon is ${coupon.status}`,
      });
    }
    const stock = this.stock(coupon.stock_id);
    const row: FavorFlowRow = {
      kind: "refund",
      stock_id: stock.stock_id,
      coupon_id: coupon.coupon_id,
      at: this.now(),
      consumption: coupon.consume,
    };
    this.flows.push(row);
    stock.spent -= coupon.consume.discount;
    delete coupon.consume;
    coupon.status = "SENDED";
    this.refreshCoupon(coupon);
    return row;
  }

  /** A flow file of the rows given, registered for download; answers its token and SHA-1. */
  issueBill(kind: "use" | "refund", rows: FavorFlowRow[], mchid: string) {
    const lines = rows.map((r) => {
      const c = r.consumption;
      const type = this.stocks.get(r.stock_id)?.items.length ? "单品券" : "全场券";
      return kind === "use"
        ? [
            r.stock_id,
            r.coupon_id,
            type,
            yuan(c.discount),
            yuan(c.orderAmount),
            "MICROAPP",
            c.transactionId,
            formatTime(r.at),
            c.mchid,
            (c.goodsDetail ?? []).map((g) => `${g.goods_id}:${g.quantity}`).join(";"),
          ].join(",")
        : [
            r.stock_id,
            r.coupon_id,
            type,
            yuan(c.discount),
            yuan(c.orderAmount),
            c.transactionId,
            formatTime(r.at),
            c.mchid,
          ].join(",");
    });
    const bytes = Buffer.from(
      `${[kind === "use" ? USE_FLOW_HEADER : REFUND_FLOW_HEADER, ...lines].join("\n")}\n`,
      "utf8",
    );
    const token = randomBytes(24).toString("base64url");
    const sha1 = createHash("sha1").update(bytes).digest("hex");
    this.bills.set(token, { bytes, sha1, mchid, expiresAt: this.now() + BILL_LINK_TTL_MS });
    return { token, sha1, count: rows.length };
  }

  /** The whole flow of an ended stock: ready from 10:00 Beijing time the day after it stopped. */
  flowOfEndedStock(stock: FavorStockRecord, kind: "use" | "refund"): FavorFlowRow[] {
    const readyAt =
      stock.stopTime === undefined
        ? undefined
        : beijingMidnight(stock.stopTime) + DAY + 10 * 3600_000;
    if (stock.status !== "stoped" || readyAt === undefined || this.now() < readyAt) {
      throw invalidRequest("批次未结束，活动结束后次日10点才可下载", {
        field: "/stock_id",
        location: "path",
        value: stock.stock_id,
        issue:
          readyAt === undefined
            ? `the stock is ${stock.status}`
            : `ready from ${formatTime(readyAt)}`,
      });
    }
    return this.flows.filter((r) => r.stock_id === stock.stock_id && r.kind === kind);
  }

  /** One Beijing day of a stock's flow (the by-day links). */
  flowOfDay(stock: FavorStockRecord, kind: "use" | "refund", billDate: string): FavorFlowRow[] {
    const day = Date.parse(`${billDate}T00:00:00+08:00`);
    if (Number.isNaN(day)) {
      throw new BusinessError(400, "PARAM_ERROR", "账单日期格式错误", {
        field: "bill_date",
        location: "query",
        value: billDate,
      });
    }
    if (day > beijingMidnight(this.now())) {
      throw invalidRequest("账单日期不能晚于今天", {
        field: "bill_date",
        location: "query",
        value: billDate,
      });
    }
    const rows = this.flows.filter(
      (r) => r.stock_id === stock.stock_id && r.kind === kind && businessDay(r.at) === billDate,
    );
    if (rows.length === 0) throw notFound(`当天没有${kind === "use" ? "核销" : "退款"}记录`);
    return rows;
  }

  /** A stock as 查询批次详情 and 条件查询批次列表 answer it. */
  stockView(stock: FavorStockRecord): SuccessBody<"getFavorStock"> {
    const d = stock.definition;
    return {
      stock_id: stock.stock_id,
      stock_creator_mchid: stock.creatorMchid,
      stock_name: d.stock_name,
      status: stock.status,
      create_time: formatTime(stock.createdAt),
      description: d.pattern_info?.description ?? "",
      // The document follows the reference here: the stock's own sending rule, as created.
      stock_use_rule: d.stock_use_rule,
      available_begin_time: formatTime(Date.parse(d.available_begin_time)),
      available_end_time: formatTime(Date.parse(d.available_end_time)),
      distributed_coupons: stock.issued,
      no_cash: d.no_cash,
      ...(stock.startTime !== undefined ? { start_time: formatTime(stock.startTime) } : {}),
      ...(stock.stopTime !== undefined ? { stop_time: formatTime(stock.stopTime) } : {}),
      singleitem: stock.items.length > 0,
      stock_type: "NORMAL",
    };
  }

  /** The fields a coupon shares in 查询代金券详情 and the COUPON.USE resource. */
  private couponFields(coupon: FavorCouponRecord): Schema<"FavorCouponUseResource"> {
    const stock = this.stock(coupon.stock_id);
    const d = stock.definition;
    return {
      stock_creator_mchid: stock.creatorMchid,
      stock_id: stock.stock_id,
      coupon_id: coupon.coupon_id,
      coupon_name: d.stock_name,
      status: this.refreshCoupon(coupon).status,
      description: d.pattern_info?.description ?? "",
      create_time: formatTime(coupon.createdAt),
      coupon_type: "NORMAL",
      no_cash: d.no_cash,
      available_begin_time: formatTime(coupon.availableBegin),
      available_end_time: formatTime(coupon.availableEnd),
      singleitem: stock.items.length > 0,
      normal_coupon_information: d.coupon_use_rule.fixed_normal_coupon,
    };
  }

  private consumeView(c: FavorConsumption): FavorConsumeInformation {
    return {
      consume_time: formatTime(c.time),
      consume_mchid: c.mchid,
      transaction_id: c.transactionId,
      ...(c.goodsDetail ? { goods_detail: c.goodsDetail } : {}),
    };
  }

  couponView(coupon: FavorCouponRecord): SuccessBody<"getFavorCoupon"> {
    const stock = this.stock(coupon.stock_id);
    return {
      ...this.couponFields(coupon),
      ...(stock.startTime !== undefined ? { start_time: formatTime(stock.startTime) } : {}),
      ...(stock.stopTime !== undefined ? { stop_time: formatTime(stock.stopTime) } : {}),
      ...(coupon.consume ? { consume_information: this.consumeView(coupon.consume) } : {}),
    };
  }

  /** The decrypted resource of the COUPON.USE notification for a coupon just used. */
  useResource(coupon: FavorCouponRecord): Schema<"FavorCouponUseResource"> {
    return {
      ...this.couponFields(coupon),
      ...(coupon.consume ? { consume_information: this.consumeView(coupon.consume) } : {}),
    };
  }
}
