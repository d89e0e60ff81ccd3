/**
 * Reading what the plug-in and the H5 page receive, as WeChat Pay's side would: the documented
 * fields and limits of 小程序发券插件 (send_coupon_params) and H5发券 (query parameters).
 */

export interface CouponRequest {
  stock_id: string;
  out_request_no: string;
  coupon_code?: string;
  create_coupon_merchant?: string;
  customize_send_time?: string;
}

/** A call refused as a whole: the outer errcode (a string for the plug-in, numbers on the H5 page). */
export class DeliveryRefusal extends Error {
  constructor(
    readonly errcode: string | number,
    message: string,
  ) {
    super(message);
  }
}

const paramError = (message: string) => new DeliveryRefusal("PARAM_ERROR", message);

interface Limit {
  max: number;
  pattern: RegExp;
  says: string;
}
const PRINTABLE = /^[\x21-\x7e]+$/;
const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export const LIMITS = {
  send_coupon_merchant: { max: 15, pattern: /^\d{8,}$/, says: "8到15位数字" },
  stock_id: { max: 20, pattern: /^[A-Za-z0-9]+$/, says: "最长20位字母或数字" },
  plugin_out_request_no: {
    max: 128,
    pattern: /^[A-Za-z0-9|_*-]+$/,
    says: "最长128位，只能包含字母、数字及|_*-",
  },
  h5_out_request_no: { max: 128, pattern: /^[A-Za-z0-9]+$/, says: "最长128位字母或数字" },
  coupon_code: { max: 128, pattern: PRINTABLE, says: "最长128位可见ASCII字符" },
  create_coupon_merchant: { max: 32, pattern: /^\d+$/, says: "商户号，只能是数字" },
  customize_send_time: { max: 32, pattern: RFC3339, says: "RFC 3339格式的时间，最长32位" },
  open_id: { max: 128, pattern: PRINTABLE, says: "最长128位" },
} satisfies Record<string, Limit>;

function text(value: unknown, field: string, limit: Limit, required: boolean): string | undefined {
  if (value === undefined || value === null || value === "") {
    if (required) throw paramError(`缺少参数 ${field}`);
    return undefined;
  }
  if (typeof value !== "string") throw paramError(`${field} 必须是字符串`);
  if (value.length > limit.max || !limit.pattern.test(value)) {
    throw paramError(`${field} 格式错误: ${limit.says}`);
  }
  if (limit === LIMITS.customize_send_time && !isCalendarDate(value)) {
    throw paramError(`${field} 格式错误: ${limit.says}`);
  }
  return value;
}

/** 2024-02-30 passes the pattern (and Date.parse); the calendar refuses it. */
function isCalendarDate(time: string): boolean {
  const [year = 0, month = 0, day = 0] = time.slice(0, 10).split("-").map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const COUPON_FIELDS = [
  "stock_id",
  "out_request_no",
  "coupon_code",
  "create_coupon_merchant",
  "customize_send_time",
];

export interface PluginRequest {
  merchant: string;
  sign: unknown;
  coupons: CouponRequest[];
  /** What the plug-in signs: send_coupon_merchant and every coupon field with its index. */
  signed: Record<string, string | undefined>;
}

/** The `<send-coupon>` attributes as the plug-in received them; PARAM_ERROR names the problem. */
export function readPluginRequest(body: Record<string, unknown>): PluginRequest {
  const merchant = text(
    body.send_coupon_merchant,
    "send_coupon_merchant",
    LIMITS.send_coupon_merchant,
    true,
  ) as string;
  const list = body.send_coupon_params;
  if (!Array.isArray(list) || list.length === 0) throw paramError("send_coupon_params 不能为空");
  if (list.length > 10) throw paramError("send_coupon_params 最多10张券");
  const signed: Record<string, string | undefined> = { send_coupon_merchant: merchant };
  const coupons = list.map((item, i): CouponRequest => {
    const at = `send_coupon_params[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw paramError(`${at} 必须是对象`);
    }
    const fields = item as Record<string, unknown>;
    for (const name of Object.keys(fields)) {
      if (!COUPON_FIELDS.includes(name)) throw paramError(`${at}.${name} 不是发券插件的参数`);
    }
    const coupon = {
      stock_id: text(fields.stock_id, `${at}.stock_id`, LIMITS.stock_id, true) as string,
      out_request_no: text(
        fields.out_request_no,
        `${at}.out_request_no`,
        LIMITS.plugin_out_request_no,
        true,
      ) as string,
      coupon_code: text(fields.coupon_code, `${at}.coupon_code`, LIMITS.coupon_code, false),
      create_coupon_merchant: text(
        fields.create_coupon_merchant,
        `${at}.create_coupon_merchant`,
        LIMITS.create_coupon_merchant,
        false,
      ),
      customize_send_time: text(
        fields.customize_send_time,
        `${at}.customize_send_time`,
        LIMITS.customize_send_time,
        false,
      ),
    };
    for (const [name, value] of Object.entries(coupon)) signed[`${name}${i}`] = value;
    return withoutEmpty(coupon);
  });
  return { merchant, sign: body.sign, coupons, signed };
}

export interface H5Request {
  merchant: string;
  openid: string;
  sign: string | null;
  coupon: CouponRequest;
  signed: Record<string, string | undefined>;
}

/**
 * The query of an H5发券 link. A missing required parameter (or `openid` for `open_id`) is the
 * page's 268435461; a malformed value PARAM_ERROR.
 */
export function readH5Request(query: URLSearchParams): H5Request {
  for (const name of ["stock_id", "out_request_no", "send_coupon_merchant", "open_id"]) {
    if (!query.get(name)) {
      const hint =
        name === "open_id" && query.has("openid") ? " (参数名应为 open_id，不是 openid)" : "";
      throw new DeliveryRefusal(268435461, `缺少必要参数 ${name}${hint}`);
    }
  }
  const signed = {
    stock_id: text(query.get("stock_id"), "stock_id", LIMITS.stock_id, true),
    out_request_no: text(
      query.get("out_request_no"),
      "out_request_no",
      LIMITS.h5_out_request_no,
      true,
    ),
    send_coupon_merchant: text(
      query.get("send_coupon_merchant"),
      "send_coupon_merchant",
      LIMITS.send_coupon_merchant,
      true,
    ),
    open_id: text(query.get("open_id"), "open_id", LIMITS.open_id, true),
    coupon_code: text(query.get("coupon_code"), "coupon_code", LIMITS.coupon_code, false),
    customize_send_time: text(
      query.get("customize_send_time"),
      "customize_send_time",
      LIMITS.customize_send_time,
      false,
    ),
  };
  return {
    merchant: signed.send_coupon_merchant as string,
    openid: signed.open_id as string,
    sign: query.get("sign"),
    coupon: withoutEmpty({
      stock_id: signed.stock_id as string,
      out_request_no: signed.out_request_no as string,
      coupon_code: signed.coupon_code,
      customize_send_time: signed.customize_send_time,
    }),
    signed,
  };
}

/** `T` with its possibly-undefined properties made optional and never undefined. */
type WithoutEmpty<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

function withoutEmpty<T extends object>(value: T): WithoutEmpty<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as WithoutEmpty<T>;
}
