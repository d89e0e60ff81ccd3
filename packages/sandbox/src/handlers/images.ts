import { createHash, randomBytes } from "node:crypto";
import { invalidRequest, paramError } from "../reply.js";
import type { SandboxStore } from "../store.js";
import type { HandlerTable, OperationContext } from "./context.js";

const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** BITMAPCOREHEADER, BITMAPINFOHEADER and its V2 to V5 successors. */
const BMP_DIB_HEADER_SIZES = new Set([12, 40, 52, 56, 108, 124]);

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

/**
 * The format the bytes themselves declare: a file named `.png` is judged by its content, as
 * WeChat Pay does, so text or a GIF under an image name is refused.
 */
export function imageFormat(bytes: Uint8Array): "JPG" | "PNG" | "BMP" | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "JPG";
  // The IHDR chunk always comes first, right after the 8-byte signature and its length.
  if (startsWith(bytes, PNG_SIGNATURE) && startsWith(bytes, [0x49, 0x48, 0x44, 0x52], 12)) {
    return "PNG";
  }
  if (bytes.length >= 26 && startsWith(bytes, [0x42, 0x4d])) {
    const dibHeaderSize =
      (bytes[14] ?? 0) |
      ((bytes[15] ?? 0) << 8) |
      ((bytes[16] ?? 0) << 16) |
      ((bytes[17] ?? 0) << 24);
    if (BMP_DIB_HEADER_SIZES.has(dibHeaderSize)) return "BMP";
  }
  return undefined;
}

// Alphanumeric, like the path segment of the URLs WeChat Pay hands out.
const MEDIA_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function mediaId(): string {
  return [...randomBytes(48)].map((b) => MEDIA_ID_ALPHABET[b % MEDIA_ID_ALPHABET.length]).join("");
}

/**
 * 图片上传(营销专用): a JPG, BMP or PNG (by its content) of at most 2 MB whose SHA-256 is the one
 * `meta` names. Every upload gets a URL of its own, remembered so that stocks and activities
 * can be checked against it.
 */
function uploadImage(context: OperationContext<"uploadMarketingImage">) {
  const { body, upload, store } = context;
  if (!upload) {
    throw paramError("缺少 file", {
      field: "/file",
      location: "body",
      issue: "the file part is required",
    });
  }
  const { meta } = body;
  // The document's pattern on meta.filename says the same; this holds for a custom document too.
  if (!/\.(jpe?g|png|bmp)$/i.test(String(meta.filename))) {
    throw paramError("图片格式只支持JPG、BMP、PNG", {
      field: "/meta/filename",
      location: "body",
      value: meta.filename,
    });
  }
  if (upload.bytes.length > MAX_IMAGE_BYTES) {
    throw invalidRequest("图片大小不能超过2M", {
      field: "/file",
      location: "body",
      issue: `the file has ${upload.bytes.length} bytes; at most ${MAX_IMAGE_BYTES} are accepted`,
    });
  }
  const format = imageFormat(upload.bytes);
  if (!format) {
    throw invalidRequest("图片格式只支持JPG、BMP、PNG", {
      field: "/file",
      location: "body",
      issue: `the content of ${String(meta.filename)} is not a JPG, BMP or PNG image`,
    });
  }
  const sha256 = createHash("sha256").update(upload.bytes).digest("hex");
  if (String(meta.sha256).toLowerCase() !== sha256) {
    throw invalidRequest("图片sha256与meta不一致", {
      field: "/meta/sha256",
      location: "body",
      value: meta.sha256,
      issue: "meta.sha256 is not the SHA-256 of the file",
    });
  }
  const mediaUrl = `https://wxpaylogo.qpic.cn/wxpaylogo/${mediaId()}/0`;
  store.images.set(mediaUrl, {
    sha256,
    size: upload.bytes.length,
    format,
    uploadedAt: store.now(),
  });
  return context.reply(200, { media_url: mediaUrl });
}

/**
 * Every image URL of a request must come from this sandbox's 图片上传(营销专用), as WeChat Pay
 * refuses any other as 非法敏感图片. `fields` are JSON pointers into the body; absent ones are
 * skipped, and `*` stands for every index of an array.
 */
export function requireUploadedImages(
  store: SandboxStore,
  body: unknown,
  fields: readonly string[],
): void {
  for (const pointer of fields) {
    for (const [path, value] of resolve(body, pointer.split("/").slice(1), "")) {
      if (typeof value !== "string" || store.images.has(value)) continue;
      const name = path.split("/").pop();
      throw invalidRequest(`非法敏感图片: ${name} 必须是图片上传(营销专用)接口返回的 media_url`, {
        field: path,
        location: "body",
        value,
        issue: "the URL was not returned by POST /v3/marketing/favor/media/image-upload",
      });
    }
  }
}

function resolve(value: unknown, segments: string[], path: string): [string, unknown][] {
  if (segments.length === 0) return [[path, value]];
  if (value === null || typeof value !== "object") return [];
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === "*") {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item, index) => resolve(item, rest, `${path}/${index}`));
  }
  if (!(head in value)) return [];
  return resolve((value as Record<string, unknown>)[head], rest, `${path}/${head}`);
}

/** The image fields of a merchant coupon stock (创建商家券, 修改商家券基本信息). */
export const STOCK_IMAGE_FIELDS = [
  "/display_pattern_info/merchant_logo_url",
  "/display_pattern_info/coupon_image_url",
  "/display_pattern_info/finder_info/finder_video_cover_image_url",
] as const;

/** The image fields of a pay-gift activity (创建全场满额送活动). */
export const ACTIVITY_IMAGE_FIELDS = [
  "/activity_base_info/merchant_logo_url",
  "/award_send_rule/award_list/*/original_image_url",
  "/award_send_rule/award_list/*/thumbnail_url",
] as const;

export const imageHandlers = {
  uploadMarketingImage: uploadImage,
} satisfies Partial<HandlerTable>;
