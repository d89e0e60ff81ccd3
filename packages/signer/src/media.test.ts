import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./index.js";
import { buildImageUpload } from "./media.js";

describe("buildImageUpload", () => {
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3]);
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  it("builds meta JSON with the lower-case hex SHA-256 and a typed file part", async () => {
    for (const file of [bytes, bytes.buffer, new Blob([bytes])]) {
      const upload = await buildImageUpload(file, "Logo.JPG");
      expect(upload.sha256).toBe(sha256);
      expect(upload.meta).toBe(`{"filename":"Logo.JPG","sha256":"${sha256}"}`);
      expect(upload.body.get("meta")).toBe(upload.meta);
      const part = upload.body.get("file") as File;
      expect(part.type).toBe("image/jpeg");
      expect(part.name).toBe("Logo.JPG");
      expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes);
    }
    expect((await buildImageUpload(bytes, "a.png")).contentType).toBe("image/png");
    expect((await buildImageUpload(bytes, "a.bmp")).contentType).toBe("image/bmp");
  });

  it("rejects a file name without an image extension", async () => {
    await expect(buildImageUpload(bytes, "logo.txt")).rejects.toBeInstanceOf(ConfigError);
    await expect(buildImageUpload(bytes, "logo")).rejects.toMatchObject({ option: "filename" });
  });
});
