import { apiV3KeyBytes, decryptResource, type EncryptedResource, encryptResource } from "./aead.js";
import { type VerificationOptions, verification } from "./credentials.js";
import { type HeadersLike, toBytes } from "./encoding.js";
import { BodyTooLargeError, DecryptionError } from "./errors.js";
import type { KeyInput } from "./keys.js";
import { signResponse, verifyWechatpayHeaders } from "./signing.js";

export interface NotificationOptions extends VerificationOptions {
  /** The merchant's 32-byte APIv3 key. */
  apiV3Key: string;
}

export interface Notification<TResource = unknown> {
  id: string;
  eventType: string;
  createTime: string;
  resourceType: string;
  summary: string;
  /** The decrypted, parsed resource. */
  resource: TResource;
}

/**
 * Verifies an incoming notification (signature and time window, exactly as for responses),
 * then decrypts and parses its resource. `body` is the raw request body string. Options are
 * read on every call (keys given as PEM strings are imported once per process); pass
 * `platformKeys` to share one updatable key set with your clients.
 */
export async function parseNotification<TResource = unknown>(
  request: { headers: HeadersLike; body: string },
  options: NotificationOptions,
): Promise<Notification<TResource>> {
  apiV3KeyBytes(options?.apiV3Key);
  const checks = verification(options);
  const { headers, body } = (request ?? {}) as Partial<typeof request>;
  const malformed = (field = "body") => new DecryptionError("malformed-body", field);
  if (typeof body !== "string") throw malformed();
  // A string longer than the limit is longer still in UTF-8: refused before it is encoded.
  const bytes = body.length > checks.maxBodyBytes ? undefined : toBytes(body);
  if (!bytes || bytes.length > checks.maxBodyBytes) {
    throw new BodyTooLargeError(checks.maxBodyBytes);
  }
  await verifyWechatpayHeaders(headers as HeadersLike, bytes, checks);
  let envelope: Record<string, unknown>;
  try {
    envelope = JSON.parse(body);
  } catch {
    throw malformed();
  }
  const text = (name: string) => {
    const value = envelope?.[name];
    if (typeof value !== "string") throw malformed(`body.${name}`);
    return value;
  };
  const notification = {
    id: text("id"),
    eventType: text("event_type"),
    createTime: text("create_time"),
    resourceType: text("resource_type"),
    summary: typeof envelope.summary === "string" ? envelope.summary : "",
  };
  if (notification.resourceType !== "encrypt-resource") {
    throw new DecryptionError("unsupported-resource-type", "body.resource_type");
  }
  const plaintext = await decryptResource(envelope.resource as EncryptedResource, options.apiV3Key);
  try {
    return { ...notification, resource: JSON.parse(plaintext) as TResource };
  } catch {
    throw malformed("resource plaintext");
  }
}

/**
 * Server side (the sandbox): builds a notification as WeChat Pay sends it, encrypted with
 * the APIv3 key and signed with a platform private key.
 */
export async function signNotification(input: {
  id: string;
  eventType: string;
  createTime?: string;
  summary?: string;
  resource: unknown;
  originalType?: string;
  associatedData?: string;
  apiV3Key: string;
  privateKey: KeyInput;
  serial: string;
  timestamp?: number;
  nonce?: string;
}): Promise<{ headers: Record<string, string>; body: string }> {
  const body = JSON.stringify({
    id: input.id,
    create_time: input.createTime ?? new Date().toISOString().replace(/\.\d+Z$/, "+00:00"),
    resource_type: "encrypt-resource",
    event_type: input.eventType,
    summary: input.summary ?? "",
    resource: await encryptResource(
      JSON.stringify(input.resource),
      input.apiV3Key,
      input.associatedData ?? "",
      undefined,
      input.originalType,
    ),
  });
  const headers = await signResponse({ ...input, body });
  return { headers: { ...headers, "Content-Type": "application/json" }, body };
}
