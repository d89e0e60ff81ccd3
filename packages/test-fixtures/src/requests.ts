// Shared by the sandbox's tests: request bodies that satisfy the document, and a client wired to
// a sandbox that records, per operation, whether it has answered a success and an error.
import { crc32, deflateSync } from "node:zlib";
import { createMarketingClient, type MarketingClient } from "@wechatpay-marketing/client";
import {
  generateRsaKeyPair,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from "../src/index.js";

export const APPID = "wx8888888888888888";
const DAY = 86_400_000;

/** RFC 3339 in Beijing time, `days` from now. */
export function at(days: number, from = Date.now()): string {
  return `${new Date(from + days * DAY + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

let sequence = 0;
export const unique = (prefix: string) => `${prefix}${Date.now()}${++sequence}`;

// biome-ignore lint/suspicious/noExplicitAny: request bodies are deliberately loose in tests
type Loose = Record<string, any>;

/** Cash coupon (代金券) operations: favor.integration.test.ts covers them with its own sandbox. */
export const isCashCouponPath = (path: string) =>
  path.startsWith("/v3/marketing/favor/") && !path.startsWith("/v3/marketing/favor/media/");

/**
 * A NORMAL cash coupon stock starting now and lasting `days`: 10 yuan off from 100 yuan; its
 * budget is the face value times max_coupons, as WeChat Pay requires.
 */
export function favorStockBody(mchid: string, overrides: Loose = {}): Loose {
  const { stock_use_rule, coupon_use_rule, days = 30, ...rest } = overrides;
  const rule = { max_coupons: 10, max_coupons_per_user: 2, ...stock_use_rule };
  return {
    stock_name: "沙箱满100减10",
    belong_merchant: mchid,
    available_begin_time: at(0),
    available_end_time: at(days),
    stock_use_rule: {
      max_amount: 1000 * rule.max_coupons,
      natural_person_limit: false,
      prevent_api_abuse: false,
      ...rule,
    },
    pattern_info: { description: "全场通用" },
    coupon_use_rule: {
      fixed_normal_coupon: { coupon_amount: 1000, transaction_minimum: 10000 },
      ...coupon_use_rule,
    },
    no_cash: false,
    stock_type: "NORMAL",
    out_request_no: unique("favor"),
    ...rest,
  };
}

export function stockBody(mchid: string, overrides: Loose = {}): Loose {
  const { coupon_use_rule, stock_send_rule, ...rest } = overrides;
  return {
    stock_name: "沙箱满减券",
    belong_merchant: mchid,
    goods_name: "全场通用",
    stock_type: "NORMAL",
    coupon_use_rule: {
      coupon_available_time: { available_begin_time: at(-1), available_end_time: at(30) },
      fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 1000 },
      use_method: "OFF_LINE",
      ...coupon_use_rule,
    },
    stock_send_rule: { max_coupons: 100, max_coupons_per_user: 5, ...stock_send_rule },
    out_request_no: unique("stock"),
    coupon_code_mode: "WECHATPAY_MODE",
    notify_config: { notify_appid: APPID },
    ...rest,
  };
}

/**
 * A pay-gift activity body. `logoUrl` must be a media_url the sandbox issued (see uploadLogo):
 * like WeChat Pay, it refuses any other logo.
 */
export function activityBody(logoUrl: string, stockIds: string[], overrides: Loose = {}): Loose {
  return {
    activity_base_info: {
      activity_name: "满100送5元券",
      activity_second_title: "到店消费可用",
      merchant_logo_url: logoUrl,
      begin_time: at(0),
      end_time: at(20),
      out_request_no: unique("act"),
      delivery_purpose: "OFF_LINE_PAY",
      ...overrides.activity_base_info,
    },
    award_send_rule: {
      award_type: "BUSIFAVOR",
      merchant_option: "MANUAL_INPUT_MERCHANT",
      transaction_amount_minimum: 10000,
      send_content: stockIds.length > 1 ? "GIFT_PACKAGE" : "SINGLE_COUPON",
      award_list: stockIds.map((stock_id) => ({ stock_id })),
      merchant_id_list: ["1900000001", "1900000002"],
      ...overrides.award_send_rule,
    },
  };
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A real PNG: `width` x `height` pixels of one RGB colour. */
export function pngImage(width = 2, height = 2, rgb: [number, number, number] = [7, 193, 96]) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, no filter, no interlace
  const row = [0, ...Array.from({ length: width }, () => rgb).flat()]; // filter byte 0, then pixels
  const pixels = Buffer.from(Array.from({ length: height }, () => row).flat());
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk("IHDR", header),
      pngChunk("IDAT", deflateSync(pixels)),
      pngChunk("IEND", new Uint8Array()),
    ]),
  );
}

/** Uploads an image with 图片上传(营销专用) and answers its media_url. */
export async function uploadLogo(
  client: MarketingClient,
  bytes: Uint8Array = pngImage(),
  filename = "logo.png",
): Promise<string> {
  const { data, error } = await client.uploadImage(bytes, filename);
  if (!data) throw new Error(`image upload failed: ${JSON.stringify(error)}`);
  return data.media_url;
}

export interface Harness {
  sandbox: Sandbox;
  client: MarketingClient;
  /** operationId -> the kinds of answers seen ("success" for 2xx, "error" for 4xx/5xx). */
  outcomes: Map<string, Set<"success" | "error">>;
}

let keys: { merchantPrivateKey: string; platformPrivateKey: string } | undefined;

/**
 * One merchant and one platform key pair per test file, generated on first use: sandboxes of a
 * file share them, so a test can afford a sandbox of its own.
 */
export function testKeys() {
  keys ??= {
    merchantPrivateKey: generateRsaKeyPair().privateKey,
    platformPrivateKey: generateRsaKeyPair().privateKey,
  };
  return keys;
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const outcomes = new Map<string, Set<"success" | "error">>();
  const sandbox = await startSandbox({
    strictResponses: true,
    notificationRetryDelaysMs: [10, 20, 40],
    ...testKeys(),
    ...options,
    onRequest(entry) {
      options.onRequest?.(entry);
      if (!entry.operationId) return;
      const seen = outcomes.get(entry.operationId) ?? new Set();
      seen.add(entry.status < 300 ? "success" : "error");
      outcomes.set(entry.operationId, seen);
    },
  });
  return { sandbox, client: createMarketingClient(sandbox.clientOptions), outcomes };
}
