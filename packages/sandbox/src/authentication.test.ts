// sign_information is built from the bytes the signature covers, on every refusal: for the image
// upload that is its `meta` part, never the multipart body around it.
import { createHash } from "node:crypto";
import { buildAuthorization } from "@wechatpay-marketing/signer";
import { pngImage, testKeys } from "@wechatpay-marketing/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendRaw } from "../test/raw-http.js";
import { type Sandbox, startSandbox } from "./index.js";

const UPLOAD = "/v3/marketing/favor/media/image-upload";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ ...testKeys(), strictResponses: true });
});
afterAll(() => sandbox.close());

function multipart(meta: string, image: Uint8Array) {
  const boundary = "sandboxBoundary7MA4YWxk";
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n${meta}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    Buffer.from(image),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The same header with the signature's first character changed (to another one, always). */
const forge = (authorization: string) =>
  authorization.replace(/signature="(.)/, (_, first: string) =>
    first === "A" ? 'signature="B' : 'signature="A',
  );

/** An upload signed over its meta with the merchant key, under `serialNo`. */
async function upload(serialNo: string, tamper: boolean) {
  const image = pngImage();
  const meta = JSON.stringify({
    filename: "logo.png",
    sha256: createHash("sha256").update(image).digest("hex"),
  });
  const authorization = await buildAuthorization(
    { ...sandbox.clientOptions, serialNo },
    { method: "POST", url: UPLOAD, body: meta },
  );
  const { body, contentType } = multipart(meta, image);
  const answer = await sendRaw(sandbox, {
    method: "POST",
    path: UPLOAD,
    headers: {
      Authorization: tamper ? forge(authorization) : authorization,
      Accept: "application/json",
      "User-Agent": "authentication-test",
      "Content-Type": contentType,
    },
    body,
  });
  return { answer, meta, multipartBytes: body.length };
}

describe("sign_information", () => {
  it("shows the signed meta part on a serial mismatch and on a bad signature alike", async () => {
    const serial = await upload("0123456789ABCDEF0123456789ABCDEF01234567", false);
    const forged = await upload(sandbox.serialNo, true);
    expect(serial.answer.status).toBe(401);
    expect(serial.answer.json.detail.field).toBe("serial_no");
    expect(forged.answer.status).toBe(401);
    expect(forged.answer.json.message).toBe("签名错误");
    for (const { answer, meta, multipartBytes } of [serial, forged]) {
      const info = answer.json.detail.sign_information;
      expect(info.truncated_sign_message.endsWith(`\n${meta}\n`)).toBe(true);
      // The message is 5 lines over the meta, far shorter than the multipart body was.
      expect(info.sign_message_length).toBeLessThan(multipartBytes);
      expect(info.sign_message_length).toBe(Buffer.byteLength(info.truncated_sign_message));
    }
  });

  it("accepts the same upload correctly signed", async () => {
    const { answer } = await upload(sandbox.serialNo, false);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.media_url).toMatch(/^https?:\/\//);
  });
});
