// 营销补差 (marketing subsidies): payments between merchants for redeemed coupons, and their
// returns after refunds. Paid by the caller, never more than the coupon's face value, and never
// returned beyond what was paid.
import { formatTime, invalidRequest, noAuth, notFound, paramError } from "../reply.js";
import { faceValue, type SubsidyReceipt, type SubsidyReturnReceipt } from "../store.js";
import type { HandlerTable, OperationContext, SandboxScope } from "./context.js";
import { ownStock } from "./guards.js";
import type { RequestBody } from "./operation-types.js";

function requirePositiveAmount(amount: number, what: string): void {
  if (amount <= 0) {
    throw paramError(`${what}必须大于0`, { field: "/amount", location: "body", value: amount });
  }
}

/** What a payment and a return both record of the money that moved: settled at once. */
function settledTransfer(
  body: RequestBody<"createBusifavorSubsidyPayReceipt" | "createBusifavorSubsidyReturnReceipt">,
) {
  const { stock_id, coupon_code, transaction_id, payer_merchant, payee_merchant } = body;
  const { amount, description } = body;
  const transfer = { stock_id, coupon_code, transaction_id, payer_merchant, payee_merchant };
  return { ...transfer, amount, description, status: "SUCCESS" as const };
}

/** A receipt the calling merchant paid; anyone else's is as absent as a missing one. */
function callersReceipt<R extends SubsidyReceipt | SubsidyReturnReceipt>(
  context: SandboxScope,
  receipt: R | undefined,
  missing: string,
): R {
  if (!receipt || receipt.payer_merchant !== context.mchid) throw notFound(missing);
  return receipt;
}

/** 营销补差付款: for a redeemed coupon of a subsidy stock, at most its face value, paid by the caller. */
function createSubsidy(context: OperationContext<"createBusifavorSubsidyPayReceipt">) {
  const { body, store } = context;
  return context.once("out_subsidy_no", body.out_subsidy_no, () => {
    const stock = ownStock(context, body.stock_id);
    if (stock.definition.subsidy !== true) {
      throw invalidRequest("该批次未开启营销补差 (subsidy)", {
        field: "/stock_id",
        location: "body",
      });
    }
    const coupon = store.coupon(body.coupon_code, body.stock_id);
    if (coupon.state !== "USED") {
      throw invalidRequest("只有已核销的券可以营销补差", {
        field: "/coupon_code",
        location: "body",
      });
    }
    if (body.payer_merchant !== context.mchid) {
      throw noAuth("补差付款商户号必须是调用方商户号");
    }
    if (body.payer_merchant === body.payee_merchant) {
      throw invalidRequest("付款方与收款方不能相同", {
        field: "/payee_merchant",
        location: "body",
      });
    }
    const value = faceValue(stock);
    if (stock.definition.stock_type === "NORMAL" && body.amount > value) {
      throw invalidRequest(`补差金额不能超过券面额 ${value} 分`, {
        field: "/amount",
        location: "body",
        value: body.amount,
      });
    }
    requirePositiveAmount(body.amount, "补差金额");
    const now = store.now();
    const receipt = {
      subsidy_receipt_id: store.nextId("1120200119165100", 12),
      ...settledTransfer(body),
      success_time: formatTime(now),
      out_subsidy_no: body.out_subsidy_no,
      create_time: formatTime(now),
    };
    store.subsidyReceipts.set(receipt.subsidy_receipt_id, receipt);
    return context.reply(200, receipt);
  });
}

function getSubsidy(context: OperationContext<"getBusifavorSubsidyPayReceipt">) {
  const { store, params } = context;
  const receipt = store.subsidyReceipts.get(params.subsidy_receipt_id);
  return context.reply(200, callersReceipt(context, receipt, "补差付款单不存在"));
}

function listSubsidyReceipts(context: OperationContext<"listBusifavorSubsidyPayReceipts">) {
  const { query, store } = context;
  const list = [...store.subsidyReceipts.values()].filter(
    (r) =>
      r.payer_merchant === context.mchid &&
      r.stock_id === query.stock_id &&
      r.coupon_code === query.coupon_code &&
      (!query.out_subsidy_no || r.out_subsidy_no === query.out_subsidy_no),
  );
  return context.reply(200, { pay_receipt_list: list });
}

/**
 * 营销补差回退: after a refund, money paid with 营销补差付款 for the coupon goes back; never more
 * than was paid (less what was already returned).
 */
function createSubsidyReturn(context: OperationContext<"createBusifavorSubsidyReturnReceipt">) {
  const { body, store } = context;
  return context.once("out_subsidy_return_no", body.out_subsidy_return_no, () => {
    const paid = [...store.subsidyReceipts.values()].find(
      (r) =>
        r.stock_id === body.stock_id &&
        r.coupon_code === body.coupon_code &&
        r.payer_merchant === body.payer_merchant &&
        r.payee_merchant === body.payee_merchant &&
        r.status === "SUCCESS",
    );
    if (!paid) {
      throw invalidRequest("该券没有可回退的营销补差付款", {
        field: "/coupon_code",
        location: "body",
      });
    }
    if (paid.payer_merchant !== context.mchid) throw noAuth("无权回退该补差");
    const returned = [...store.subsidyReturns.values()]
      .filter((r) => r.subsidy_receipt_id === paid.subsidy_receipt_id)
      .reduce((sum, r) => sum + r.amount, 0);
    requirePositiveAmount(body.amount, "回退金额");
    if (body.amount > paid.amount - returned) {
      throw invalidRequest(`回退金额超过可回退金额 ${paid.amount - returned} 分`, {
        field: "/amount",
        location: "body",
        value: body.amount,
      });
    }
    const now = store.now();
    const receipt = {
      subsidy_return_receipt_id: store.nextId("1120200119165200", 12),
      ...settledTransfer(body),
      refund_id: body.refund_id,
      return_done_time: formatTime(now),
      subsidy_receipt_id: paid.subsidy_receipt_id,
      out_subsidy_return_no: body.out_subsidy_return_no,
      return_create_time: formatTime(now),
    };
    store.subsidyReturns.set(receipt.subsidy_return_receipt_id, receipt);
    return context.reply(200, receipt);
  });
}

function getSubsidyReturn(context: OperationContext<"getBusifavorSubsidyReturnReceipt">) {
  const { store, params } = context;
  const receipt = store.subsidyReturns.get(params.subsidy_return_receipt_id);
  return context.reply(200, callersReceipt(context, receipt, "补差回退单不存在"));
}

export const subsidyHandlers = {
  createBusifavorSubsidyPayReceipt: createSubsidy,
  listBusifavorSubsidyPayReceipts: listSubsidyReceipts,
  getBusifavorSubsidyPayReceipt: getSubsidy,
  createBusifavorSubsidyReturnReceipt: createSubsidyReturn,
  getBusifavorSubsidyReturnReceipt: getSubsidyReturn,
} satisfies Partial<HandlerTable>;
