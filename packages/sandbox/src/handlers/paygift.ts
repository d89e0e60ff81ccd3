import {
  formatTime,
  invalidRequest,
  noAuth,
  notFound,
  paginate,
  paramError,
  parseTime,
} from "../reply.js";
import type { ActivityRecord, Json } from "../store.js";
import type { HandlerTable, OperationContext } from "./context.js";
import { ACTIVITY_IMAGE_FIELDS, requireUploadedImages } from "./images.js";

const YEAR_MS = 31_536_000_000;
const MCHID = /^[0-9]{8,10}$/;

type ActivityStatus =
  | "CREATE_ACT_STATUS"
  | "ONGOING_ACT_STATUS"
  | "TERMINATE_ACT_STATUS"
  | "OVER_TIME_ACT_STATUS";

function window(activity: ActivityRecord): { begin: number; end: number } {
  const base = activity.request.activity_base_info as Json;
  const begin = base.begin_time ? parseTime(base.begin_time) : activity.createdAt;
  const end = base.end_time ? parseTime(base.end_time) : begin + YEAR_MS - 1000;
  return { begin, end };
}

/** created -> ongoing (from begin_time) -> over time (after end_time); terminate ends it early. */
function status(activity: ActivityRecord, now: number): ActivityStatus {
  if (activity.terminatedAt !== undefined) return "TERMINATE_ACT_STATUS";
  const { begin, end } = window(activity);
  if (now > end) return "OVER_TIME_ACT_STATUS";
  return now >= begin ? "ONGOING_ACT_STATUS" : "CREATE_ACT_STATUS";
}

function ownActivity(context: OperationContext): ActivityRecord {
  const activity = context.store.activities.get(context.params.activity_id);
  if (!activity) throw notFound(`活动不存在: ${context.params.activity_id}`);
  if (activity.creatorMchid !== context.mchid) throw noAuth("无权操作该活动");
  return activity;
}

function activityView(context: OperationContext, activity: ActivityRecord): Json {
  const { activity_base_info: base, award_send_rule: award, advanced_setting } = activity.request;
  const { merchant_id_list: _listed, ...rule } = award as Json;
  const belong = (() => {
    const first = (rule.award_list as Json[] | undefined)?.[0]?.stock_id;
    const stock = first ? context.store.stocks.get(first) : undefined;
    return stock?.definition.belong_merchant ?? activity.creatorMchid;
  })();
  return {
    activity_id: activity.activity_id,
    activity_type: "FULL_SEND_ACT_TYPE",
    activity_status: status(activity, context.store.now()),
    creator_merchant_id: activity.creatorMchid,
    belong_merchant_id: belong,
    create_time: formatTime(activity.createdAt),
    update_time: formatTime(activity.updatedAt),
    activity_base_info: base,
    award_send_rule: { full_send_rule: rule },
    ...(advanced_setting?.payment_method_information
      ? {
          advanced_setting: {
            payment_mode: {
              payment_method_information: advanced_setting.payment_method_information,
            },
          },
        }
      : {}),
  };
}

/**
 * 创建全场满额送活动: the window is shorter than a year; the awards are existing merchant coupon
 * stocks valid over the whole window (uploaded codes first for MERCHANT_UPLOAD); one coupon, or
 * a gift package of 3 to 5; MANUAL_INPUT_MERCHANT needs the issuing merchant ids; the logo and
 * award pictures must come from 图片上传(营销专用).
 */
function createActivity(context: OperationContext) {
  const { body, store } = context;
  const base = body.activity_base_info as Json;
  return context.once("out_request_no", base.out_request_no, () => {
    requireUploadedImages(store, body, ACTIVITY_IMAGE_FIELDS);
    const now = store.now();
    const begin = base.begin_time ? parseTime(base.begin_time) : now;
    const end = base.end_time ? parseTime(base.end_time) : begin + YEAR_MS - 1000;
    if (end <= begin) {
      throw invalidRequest("活动结束时间必须晚于开始时间", {
        field: "/activity_base_info/end_time",
        location: "body",
      });
    }
    if (end - begin >= YEAR_MS) {
      throw invalidRequest("活动时间最长可以配置1年内 (less than 31536000 s)", {
        field: "/activity_base_info/end_time",
        location: "body",
      });
    }
    // JUMP_MINI_APP's Mini Program and the number of awards per send_content are the document's
    // variants, which the request validator already applied.
    const rule = body.award_send_rule as Json;
    const awards = rule.award_list as Json[];
    const stocks = awards.map((award, index) => {
      const stock = award.stock_id ? store.stocks.get(award.stock_id) : undefined;
      if (!stock) {
        throw invalidRequest("商家券信息不满足活动规则，请核实券有效期或code", {
          field: `/award_send_rule/award_list/${index}/stock_id`,
          location: "body",
          issue: "the stock does not exist",
        });
      }
      const available = stock.definition.coupon_use_rule.coupon_available_time as Json;
      if (
        parseTime(available.available_begin_time) > begin ||
        parseTime(available.available_end_time) < end
      ) {
        throw invalidRequest("商家券信息不满足活动规则，请核实券有效期或code", {
          field: `/award_send_rule/award_list/${index}/stock_id`,
          location: "body",
          issue: "the coupons must be valid from before the activity starts until after it ends",
        });
      }
      if (
        stock.definition.coupon_code_mode === "MERCHANT_UPLOAD" &&
        stock.availableCodes.length === 0
      ) {
        throw invalidRequest("商家券信息不满足活动规则，请核实券有效期或code", {
          field: `/award_send_rule/award_list/${index}/stock_id`,
          location: "body",
          issue: "upload the stock's codes before putting it into an activity",
        });
      }
      return stock;
    });
    if (rule.send_content === "GIFT_PACKAGE") {
      const [first] = stocks;
      const same = (s: (typeof stocks)[number]) =>
        s.definition.belong_merchant === first?.definition.belong_merchant &&
        s.definition.stock_send_rule.max_coupons ===
          first?.definition.stock_send_rule.max_coupons &&
        s.definition.stock_send_rule.max_coupons_per_user ===
          first?.definition.stock_send_rule.max_coupons_per_user;
      if (!stocks.every(same)) {
        throw invalidRequest("添加券包时，库存、限领和归属商户号需要保持一致", {
          field: "/award_send_rule/award_list",
          location: "body",
        });
      }
    }
    const listed = (rule.merchant_id_list ?? []) as string[];
    if (rule.merchant_option === "MANUAL_INPUT_MERCHANT" && listed.length === 0) {
      throw paramError("merchant_option 为 MANUAL_INPUT_MERCHANT 时必须填写 merchant_id_list", {
        field: "/award_send_rule/merchant_id_list",
        location: "body",
      });
    }
    const bad = listed.find((id) => !MCHID.test(id));
    if (bad !== undefined) {
      throw invalidRequest("发券商户号校验失败，请核实是否满足同品牌等规则", {
        field: "/award_send_rule/merchant_id_list",
        location: "body",
        value: bad,
      });
    }
    const merchants = new Map<string, { createdAt: number; updatedAt: number }>();
    const issuing = rule.merchant_option === "MANUAL_INPUT_MERCHANT" ? listed : [context.mchid];
    for (const id of issuing) merchants.set(id, { createdAt: now, updatedAt: now });
    const activity: ActivityRecord = {
      activity_id: store.nextId("126", 10),
      creatorMchid: context.mchid,
      createdAt: now,
      updatedAt: now,
      request: structuredClone(body),
      merchants,
    };
    store.activities.set(activity.activity_id, activity);
    return {
      status: 200,
      body: { activity_id: activity.activity_id, create_time: formatTime(now) },
    };
  });
}

function listActivities(context: OperationContext) {
  const { query, store } = context;
  const now = store.now();
  const matches = [...store.activities.values()]
    .filter((a) => a.creatorMchid === context.mchid)
    .filter(
      (a) =>
        !query.activity_name ||
        String(a.request.activity_base_info.activity_name).includes(query.activity_name),
    )
    .filter((a) => !query.activity_status || status(a, now) === query.activity_status)
    .filter((a) => !query.award_type || a.request.award_send_rule.award_type === query.award_type)
    .sort((a, b) => b.createdAt - a.createdAt);
  return { status: 200, body: paginate(context, matches, (a) => activityView(context, a)) };
}

function getActivity(context: OperationContext) {
  return { status: 200, body: activityView(context, ownActivity(context)) };
}

function listGoods(context: OperationContext) {
  const activity = ownActivity(context);
  // A full-amount (全场满额送) activity names no goods: the list is always empty.
  return {
    status: 200,
    body: { ...paginate(context, [] as Json[]), activity_id: activity.activity_id },
  };
}

function listMerchants(context: OperationContext) {
  const activity = ownActivity(context);
  const rows = [...activity.merchants].map(([mchid, m]) => ({
    mchid,
    merchant_name: `商户${mchid}`,
    create_time: formatTime(m.createdAt),
    update_time: formatTime(m.updatedAt),
  }));
  return { status: 200, body: { ...paginate(context, rows), activity_id: activity.activity_id } };
}

function changeable(context: OperationContext, activity: ActivityRecord): void {
  const current = status(activity, context.store.now());
  if (current === "TERMINATE_ACT_STATUS" || current === "OVER_TIME_ACT_STATUS") {
    throw invalidRequest(`活动状态为 ${current}，不能修改发券商户号`, {
      field: "activity_id",
      location: "path",
    });
  }
}

/** 新增活动发券商户号: malformed or already-present ids are reported, the rest are added. */
function addMerchants(context: OperationContext) {
  const { body, store } = context;
  const activity = ownActivity(context);
  const run = () => {
    changeable(context, activity);
    const now = store.now();
    const invalid: { mchid: string; invalid_reason: string }[] = [];
    const seen = new Set<string>();
    for (const id of body.merchant_id_list as string[]) {
      if (!MCHID.test(id)) {
        if (/^[0-9]{1,32}$/.test(id)) invalid.push({ mchid: id, invalid_reason: "商户号不存在" });
        else
          throw paramError("商户号格式错误", {
            field: "/merchant_id_list",
            location: "body",
            value: id,
          });
      } else if (activity.merchants.has(id) || seen.has(id)) {
        invalid.push({ mchid: id, invalid_reason: "商户号已在活动中" });
      } else {
        seen.add(id);
        activity.merchants.set(id, { createdAt: now, updatedAt: now });
      }
    }
    activity.updatedAt = now;
    return {
      status: 200,
      body: {
        activity_id: activity.activity_id,
        invalid_merchant_id_list: invalid,
        add_time: formatTime(now),
      },
    };
  };
  return body.add_request_no ? context.once("add_request_no", body.add_request_no, run) : run();
}

/** 删除活动发券商户号: every id must be in the activity, and one issuing merchant must stay. */
function deleteMerchants(context: OperationContext) {
  const { body, store } = context;
  const activity = ownActivity(context);
  const run = () => {
    changeable(context, activity);
    const ids = [...new Set(body.merchant_id_list as string[])];
    const missing = ids.find((id) => !activity.merchants.has(id));
    if (missing !== undefined) {
      throw invalidRequest(`商户号 ${missing} 不是该活动的发券商户号`, {
        field: "/merchant_id_list",
        location: "body",
        value: missing,
      });
    }
    if (ids.length >= activity.merchants.size) {
      throw invalidRequest("活动至少需要保留一个发券商户号", {
        field: "/merchant_id_list",
        location: "body",
      });
    }
    for (const id of ids) activity.merchants.delete(id);
    const now = store.now();
    activity.updatedAt = now;
    return {
      status: 200,
      body: { activity_id: activity.activity_id, delete_time: formatTime(now) },
    };
  };
  return body.delete_request_no
    ? context.once("delete_request_no", body.delete_request_no, run)
    : run();
}

/** 终止活动: a created or ongoing activity ends now; terminating twice is refused. */
function terminateActivity(context: OperationContext) {
  const activity = ownActivity(context);
  const current = status(activity, context.store.now());
  if (current === "TERMINATE_ACT_STATUS" || current === "OVER_TIME_ACT_STATUS") {
    throw invalidRequest(`活动状态为 ${current}，不能终止`, {
      field: "activity_id",
      location: "path",
    });
  }
  const now = context.store.now();
  activity.terminatedAt = now;
  activity.updatedAt = now;
  return {
    status: 200,
    body: { activity_id: activity.activity_id, terminate_time: formatTime(now) },
  };
}

export const paygiftHandlers: HandlerTable = {
  "POST /v3/marketing/paygiftactivity/unique-threshold-activity": createActivity,
  "GET /v3/marketing/paygiftactivity/activities": listActivities,
  "GET /v3/marketing/paygiftactivity/activities/{activity_id}": getActivity,
  "GET /v3/marketing/paygiftactivity/activities/{activity_id}/goods": listGoods,
  "GET /v3/marketing/paygiftactivity/activities/{activity_id}/merchants": listMerchants,
  "POST /v3/marketing/paygiftactivity/activities/{activity_id}/merchants/add": addMerchants,
  "POST /v3/marketing/paygiftactivity/activities/{activity_id}/merchants/delete": deleteMerchants,
  "POST /v3/marketing/paygiftactivity/activities/{activity_id}/terminate": terminateActivity,
};
