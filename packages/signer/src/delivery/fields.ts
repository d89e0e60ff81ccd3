/**
 * The limits of the delivery fields (小程序发券插件 and H5发券 parameter tables), checked before
 * signing so that a payload WeChat Pay would refuse never gets a sign. Messages state the rule,
 * never the value.
 */
import { CouponDeliveryError } from "./errors.js";

interface TextRule {
  min: number;
  max: number;
  charset: RegExp;
  /** The rule in words, for the error message. */
  says: string;
}

const rule = (min: number, max: number, charset: RegExp, says: string): TextRule => ({
  min,
  max,
  charset,
  says,
});

export const RULES = {
  /** 发券商户号: a merchant number, "minimum 8 bytes", string(15). */
  merchant: rule(8, 15, /^[0-9]+$/, "8 to 15 digits (a merchant number)"),
  /** 制券商户号: a merchant number (the spec's Mchid: digits, at most 32). */
  creatorMerchant: rule(1, 32, /^[0-9]+$/, "1 to 32 digits (a merchant number)"),
  stockId: rule(1, 20, /^[A-Za-z0-9]+$/, "1 to 20 letters or digits"),
  /** The plug-in's 发券凭证 also allows | _ * - */
  pluginRequestNo: rule(1, 128, /^[A-Za-z0-9|_*-]+$/, "1 to 128 letters, digits or | _ * -"),
  /** H5发券's 发券凭证: letters and digits only. */
  h5RequestNo: rule(1, 128, /^[A-Za-z0-9]+$/, "1 to 128 letters or digits"),
  couponCode: rule(1, 128, /^[\x21-\x7e]+$/, "1 to 128 printable ASCII characters, no spaces"),
  openId: rule(1, 128, /^[\x21-\x7e]+$/, "1 to 128 printable ASCII characters, no spaces"),
} as const;

/** A required field: a non-empty string within the rule. */
export function requiredText(value: unknown, field: string, r: TextRule): string {
  if (value === undefined || value === null || value === "") {
    throw new CouponDeliveryError(field, "missing", `is required: ${r.says}`);
  }
  return checkText(value, field, r);
}

/** An optional field: undefined when absent or empty (empty values are neither sent nor signed). */
export function optionalText(value: unknown, field: string, r: TextRule): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return checkText(value, field, r);
}

function checkText(value: unknown, field: string, r: TextRule): string {
  if (typeof value !== "string") {
    throw new CouponDeliveryError(field, "type", `must be a string: ${r.says}`);
  }
  if (!r.charset.test(value)) throw new CouponDeliveryError(field, "charset", `must be ${r.says}`);
  if (value.length < r.min || value.length > r.max) {
    throw new CouponDeliveryError(field, "length", `must be ${r.says}`);
  }
  return value;
}

// date-time of RFC 3339 §5.6: full-date "T" full-time, an offset or Z.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** customize_send_time: an RFC 3339 time of at most 32 characters, or undefined when empty. */
export function optionalTime(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const says = "an RFC 3339 time of at most 32 characters, e.g. 2024-05-01T10:00:00+08:00";
  if (typeof value !== "string") throw new CouponDeliveryError(field, "type", `must be ${says}`);
  const m = RFC3339.exec(value);
  if (!m || value.length > 32 || !validTime(m.slice(1).map(Number))) {
    throw new CouponDeliveryError(field, "format", `must be ${says}`);
  }
  return value;
}

function validTime([year, month, day, hour, minute, second, , offsetHour, offsetMinute]: number[]) {
  // Day 0 of the next month is the last of this one; setUTCFullYear keeps years < 100 as given.
  const last = new Date(0);
  last.setUTCFullYear(year ?? 0, month ?? 0, 0);
  const daysInMonth = last.getUTCDate();
  return (
    (month ?? 0) >= 1 &&
    (month ?? 0) <= 12 &&
    (day ?? 0) >= 1 &&
    (day ?? 0) <= daysInMonth &&
    (hour ?? 0) <= 23 &&
    (minute ?? 0) <= 59 &&
    (second ?? 0) <= 60 && // a leap second is valid RFC 3339
    (Number.isNaN(offsetHour) || (offsetHour ?? 0) <= 23) &&
    (Number.isNaN(offsetMinute) || (offsetMinute ?? 0) <= 59)
  );
}

/** A plain object, or a CouponDeliveryError naming `field`. */
export function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CouponDeliveryError(field, "type", "must be an object");
  }
  return value as Record<string, unknown>;
}

/** Refuses keys outside `known`: a field the signer does not know is one the sign cannot cover. */
export function onlyKnownKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  where: string,
  hints: Readonly<Record<string, string>> = {},
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const hint = hints[key];
    throw new CouponDeliveryError(
      where ? `${where}.${key}` : key,
      "unknown-field",
      hint ?? `is not a field of this call (known: ${known.join(", ")})`,
    );
  }
}
