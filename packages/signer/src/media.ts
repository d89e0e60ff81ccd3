/**
 * `@wechatpay-marketing/signer/media`: the multipart body of an image upload. Its own entry
 * point, so the main entry stays small; the middleware and the fetch wrapper (main entry and
 * ./fetch) sign any multipart request over its `meta` part without it.
 */
import { hex, toBytes } from "./encoding.js";
import { ConfigError } from "./errors.js";

export const IMAGE_UPLOAD_PATH = "/v3/marketing/favor/media/image-upload";

const IMAGE_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  bmp: "image/bmp",
  gif: "image/gif",
};

export interface ImageUpload {
  /** `{"filename":…,"sha256":…}`: the form's `meta` part and, byte for byte, the signed BODY. */
  meta: string;
  /** multipart/form-data with the `meta` and `file` parts; pass it as the request body. */
  body: FormData;
  /** Lower-case hex SHA-256 of the file. */
  sha256: string;
  contentType: string;
}

/**
 * Builds the multipart body of POST /v3/marketing/favor/media/image-upload. The signer
 * middleware and fetch wrapper sign such requests over the `meta` part, as WeChat Pay requires.
 */
export async function buildImageUpload(
  file: Uint8Array | ArrayBuffer | Blob,
  filename: string,
): Promise<ImageUpload> {
  const extension = /\.([^./\\]+)$/.exec(String(filename))?.[1]?.toLowerCase() ?? "";
  const contentType = IMAGE_TYPES[extension];
  if (!contentType) {
    throw new ConfigError("filename", "must end in .jpg, .jpeg, .png, .bmp or .gif");
  }
  const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : toBytes(file);
  const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
  const meta = JSON.stringify({ filename, sha256 });
  const body = new FormData();
  body.append("meta", meta);
  body.append("file", new Blob([bytes], { type: contentType }), filename);
  return { meta, body, sha256, contentType };
}
