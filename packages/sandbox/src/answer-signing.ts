import { randomBytes, randomUUID } from "node:crypto";
import { signResponse } from "@wechatpay-marketing/signer/server";
import type { SignatureFault } from "./faults.js";
import type { Reply } from "./reply.js";

/** What signing an answer needs besides the answer: the key asked for and a fault to apply. */
export interface SigningInputs {
  /** The request's Wechatpay-Serial: WeChat Pay signs with that key when it has it. */
  requestedSerial?: string;
  fault?: SignatureFault;
}

/** An answer ready for the wire: status, headers (signature and Request-ID) and body text. */
export interface SignedAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface PlatformKeys {
  privateKey: string;
  /** The serial of the key WeChat Pay signs with, given the one a request asked for. */
  signingSerial(requested?: string): string;
}

/**
 * Which platform key signs: the `PUB_KEY_ID_…` of the public key, the certificate's serial in
 * certificate mode, or in `both` mode whichever the request's Wechatpay-Serial names.
 */
export function platformSigningSerial(
  mode: "public-key" | "certificate" | "both",
  publicKeyId: string,
  certificateSerial: string | undefined,
): (requested?: string) => string {
  return (requested) => {
    if (!certificateSerial) return publicKeyId;
    if (mode === "certificate") return certificateSerial;
    return requested?.toUpperCase() === certificateSerial ? certificateSerial : publicKeyId;
  };
}

/** A flipped last byte: a signature that is well-formed but does not verify. */
function tamper(signature: string): string {
  const bytes = Buffer.from(signature, "base64");
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
  return bytes.toString("base64");
}

/** Signs an answer as WeChat Pay does (Wechatpay-* headers over the exact body text). */
export async function signAnswer(
  keys: PlatformKeys,
  reply: Reply,
  signing: SigningInputs,
): Promise<SignedAnswer> {
  const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
  const headers: Record<string, string> = await signResponse({
    body: text,
    privateKey: keys.privateKey,
    serial: keys.signingSerial(signing.requestedSerial),
  });
  if (signing.fault === "tampered-signature") {
    headers["Wechatpay-Signature"] = tamper(headers["Wechatpay-Signature"] as string);
  } else if (signing.fault === "probe-signature") {
    headers["Wechatpay-Signature"] = `WECHATPAY/SIGNTEST/${randomBytes(32).toString("base64")}`;
  }
  return {
    status: reply.status,
    headers: {
      ...(text ? { "Content-Type": "application/json; charset=utf-8" } : {}),
      "Request-ID": randomUUID().replaceAll("-", "").toUpperCase(),
      ...headers,
    },
    text,
  };
}
