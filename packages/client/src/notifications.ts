import {
  type Notification,
  type NotificationOptions,
  parseNotification as parseSignedNotification,
  WechatpayError,
} from "@wechatpay-marketing/signer";
import type { components } from "./generated/marketing.gen.js";

/** The raw incoming request: its headers and the body exactly as received. */
export type NotificationRequest = Parameters<typeof parseSignedNotification>[0];

/** A verified notification whose event type the marketing spec does not describe. */
export class UnsupportedEventError extends WechatpayError {
  override name = "UnsupportedEventError";
  readonly eventType: string;

  constructor(eventType: string) {
    super(
      "EVENT_UNSUPPORTED",
      `notification event_type ${JSON.stringify(eventType)} is not one the marketing spec describes`,
    );
    this.eventType = eventType;
  }
}

/** The decrypted `resource` of each notification the spec documents, by event type. */
export interface NotificationResources {
  "COUPON.SEND": components["schemas"]["BusifavorCouponSendResource"];
  "COUPON.USE": components["schemas"]["FavorCouponUseResource"];
}

export type MarketingEventType = keyof NotificationResources;

/** A verified, decrypted notification, its `resource` typed by its `eventType`. */
export type MarketingNotification = {
  [E in MarketingEventType]: Omit<Notification<NotificationResources[E]>, "eventType"> & {
    eventType: E;
  };
}[MarketingEventType];

/**
 * Verifies a notification's signature and time window, decrypts its resource and types it from the
 * spec's `webhooks`. Events the spec does not describe are rejected rather than passed on untyped.
 */
export async function parseNotification(
  request: NotificationRequest,
  options: NotificationOptions,
): Promise<MarketingNotification> {
  const notification = await parseSignedNotification<unknown>(request, options);
  if (!isMarketingEvent(notification.eventType)) {
    throw new UnsupportedEventError(notification.eventType);
  }
  return notification as MarketingNotification;
}

const EVENT_TYPES: ReadonlySet<string> = new Set<MarketingEventType>(["COUPON.SEND", "COUPON.USE"]);

function isMarketingEvent(eventType: string): eventType is MarketingEventType {
  return EVENT_TYPES.has(eventType);
}
