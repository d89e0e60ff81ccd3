// What only a user can do to a cash coupon — pay with it, have the payment refunded — and the
// sandbox's own knobs (natural persons, risk control, the merchant's balance), for the control API
// and for tests. A payment sends COUPON.USE to the creator's notify URL, as WeChat Pay does.
import type {
  FavorCouponStatus,
  FavorUserProfile,
  PaidGoods,
  PaymentInput,
} from "./favor-store.js";
import type { Schema } from "./handlers/operation-types.js";
import type { SandboxStore } from "./store.js";

/** What the control API answers for a payment (the sandbox's own route, not in the document). */
export interface PaymentResult {
  coupon_id: string;
  stock_id: string;
  transaction_id: string;
  order_amount: number;
  discount: number;
  payer_total: number;
  /** Whether COUPON.USE went out (the creator has a notify URL). */
  notified: boolean;
}

export interface RefundResult {
  coupon_id: string;
  status: FavorCouponStatus;
  returned: number;
}

export interface FavorControls {
  /** The user pays with the coupon: it becomes USED, a use flow row is recorded and COUPON.USE sent. */
  pay(openid: string, couponId: string, input: PaymentInput): PaymentResult;
  /** The payment is refunded: the coupon comes back (SENDED, or EXPIRED past its end). */
  refund(openid: string, couponId: string): RefundResult;
  /** Which natural person an openid belongs to, and whether risk control flags it. */
  setUserProfile(openid: string, profile: FavorUserProfile): void;
  /** The merchant's marketing balance in fen, from which prepaid stocks lock their budget. */
  balance(): number;
  setBalance(fen: number): void;
}

export interface CouponUseEvent {
  notifyUrl: string;
  resource: Schema<"FavorCouponUseResource">;
}

export function createFavorControls(
  store: SandboxStore,
  mchid: string,
  couponUsed: (event: CouponUseEvent) => void,
): FavorControls {
  const favor = store.favor;
  return {
    pay(openid, couponId, input) {
      const coupon = favor.coupon(couponId, openid);
      const row = favor.pay(coupon, input);
      const stock = favor.stock(coupon.stock_id);
      const callback = favor.callbacks.get(stock.creatorMchid);
      if (callback)
        couponUsed({ notifyUrl: callback.notify_url, resource: favor.useResource(coupon) });
      return {
        coupon_id: coupon.coupon_id,
        stock_id: coupon.stock_id,
        transaction_id: row.consumption.transactionId,
        order_amount: row.consumption.orderAmount,
        discount: row.consumption.discount,
        payer_total: row.consumption.orderAmount - row.consumption.discount,
        notified: callback !== undefined,
      };
    },
    refund(openid, couponId) {
      const coupon = favor.coupon(couponId, openid);
      const row = favor.refund(coupon);
      return {
        coupon_id: coupon.coupon_id,
        status: coupon.status,
        returned: row.consumption.discount,
      };
    },
    setUserProfile(openid, profile) {
      favor.profiles.set(openid, { ...favor.profiles.get(openid), ...profile });
    },
    balance: () => favor.balance(mchid),
    setBalance(fen) {
      if (!Number.isSafeInteger(fen) || fen < 0)
        throw new TypeError("balance must be a whole number of fen >= 0");
      favor.balances.set(mchid, fen);
    },
  };
}

type Body = Record<string, unknown>;
const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);
const count = (value: unknown, min: number) =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= min;

/** The order's items, each copied field by field: nothing else of the request reaches the store. */
function goodsDetail(value: unknown): PaidGoods[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? (value as Body[]) : undefined;
  const valid = items?.every(
    (g) =>
      g && typeof g === "object" && text(g.goods_id) && count(g.quantity, 1) && count(g.price, 0),
  );
  if (!items || !valid) {
    throw new TypeError(
      "goods_detail must be an array of { goods_id: string, quantity: whole number > 0, price: fen >= 0 }",
    );
  }
  return items.map(({ goods_id, quantity, price }) => ({ goods_id, quantity, price }) as PaidGoods);
}

/**
 * The cash coupon routes of the control API (unsigned, for tests and demos; control.ts checks the
 * token and reads the body within its limit before they run):
 *
 * - POST /sandbox/favor/users/{openid}/coupons/{coupon_id}/pay     { order_amount, consume_mchid?, transaction_id?, goods_detail? }
 * - POST /sandbox/favor/users/{openid}/coupons/{coupon_id}/refund
 * - POST /sandbox/favor/users/{openid}/profile                      { natural_person?, risky? }
 * - GET  /sandbox/favor/balance,  POST /sandbox/favor/balance      { amount } (fen)
 *
 * Answers `undefined` for a path that is none of these. Business refusals throw BusinessError,
 * malformed input TypeError (the control API answers both).
 */
export function favorControlRoute(
  favor: FavorControls,
  method: string,
  pathname: string,
  body: Body,
): { status: number; body: unknown } | undefined {
  const coupon = /^\/sandbox\/favor\/users\/([^/]+)\/coupons\/([^/]+)\/(pay|refund)$/.exec(
    pathname,
  );
  if (coupon && method === "POST") {
    const [, openid, couponId, action] = coupon.map((part) => decodeURIComponent(part)) as string[];
    if (action === "refund")
      return { status: 200, body: favor.refund(openid as string, couponId as string) };
    const amount = body.order_amount;
    if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) {
      throw new TypeError("order_amount must be the order total in fen, a whole number > 0");
    }
    return {
      status: 200,
      body: favor.pay(openid as string, couponId as string, {
        orderAmount: amount,
        mchid: text(body.consume_mchid),
        transactionId: text(body.transaction_id),
        goodsDetail: goodsDetail(body.goods_detail),
      }),
    };
  }
  const profile = /^\/sandbox\/favor\/users\/([^/]+)\/profile$/.exec(pathname);
  if (profile && method === "POST") {
    if (body.risky !== undefined && typeof body.risky !== "boolean")
      throw new TypeError("risky must be a boolean");
    const naturalPerson = text(body.natural_person);
    favor.setUserProfile(decodeURIComponent(profile[1] as string), {
      ...(naturalPerson ? { naturalPerson } : {}),
      ...(typeof body.risky === "boolean" ? { risky: body.risky } : {}),
    });
    return { status: 200, body: { openid: decodeURIComponent(profile[1] as string) } };
  }
  if (pathname === "/sandbox/favor/balance") {
    if (method === "POST") {
      favor.setBalance(body.amount as number);
      return { status: 200, body: { balance: favor.balance() } };
    }
    if (method === "GET") return { status: 200, body: { balance: favor.balance() } };
  }
  return undefined;
}
