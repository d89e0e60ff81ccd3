import { WechatpayError } from "./errors.js";

const encoder = new TextEncoder();

export type BodyInit = string | Uint8Array | ArrayBuffer;
/** Bytes backed by a plain ArrayBuffer, as WebCrypto's BufferSource wants them. */
export type Bytes = Uint8Array<ArrayBuffer>;

/**
 * UTF-8 of a string (or a number's decimal digits), bytes as they are; nothing is empty. Any
 * other object (a stream, a Blob) is refused: `new Uint8Array(stream)` would be zero bytes.
 */
export function toBytes(value: BodyInit | number | undefined | null): Bytes {
  if (typeof value !== "object" || !value) return encoder.encode(`${value ?? ""}`) as Bytes;
  if (value instanceof Uint8Array) return value as Bytes;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new WechatpayError("UNSUPPORTED_BODY", "body: not a string, Uint8Array or ArrayBuffer");
}

export function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Returns undefined for anything that is not canonical base64, so callers can name the field. */
export function base64Decode(text: string): Bytes | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) return;
  // A loop: ten times faster than Uint8Array.from(binary, callback) for a 256-byte signature.
  const binary = atob(text);
  // atob ignores the bits past the last byte: "QR==" is "A" as "QQ==" is. One text per bytes.
  if (btoa(binary) !== text) return;
  let i = binary.length;
  const bytes = new Uint8Array(i);
  while (i--) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function concatBytes(parts: readonly ArrayLike<number>[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Header lookup that accepts a Headers object or a plain record, case-insensitively. */
export type HeadersLike = Headers | Record<string, string | readonly string[] | undefined>;

/** A header's value; undefined when absent or not text (a number in a record, say). */
export function headerValue(headers: HeadersLike, name: string): string | undefined {
  const value: unknown =
    typeof (headers as Headers).get === "function"
      ? (headers as Headers).get(name)
      : Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(value) ? value.join(", ") : typeof value === "string" ? value : undefined;
}
