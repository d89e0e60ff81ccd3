import {
  type Notification,
  type NotificationOptions,
  parseNotification as parseSignedNotification,
  WechatpayError,
} from "@wechatpay-marketing/signer";
import { EVENT_TYPES, type NotificationResources } from "./generated/notifications.gen.js";
import { withAdvice } from "./notification-advice.js";

export type { NotificationResources };

/** The raw incoming request: its headers and the body exactly as received. */
export type NotificationRequest = Parameters<typeof parseSignedNotification>[0];

export type MarketingEventType = keyof NotificationResources;

/** A verified, decrypted notification, its `resource` typed by its `eventType`. */
export type MarketingNotification = {
  [E in MarketingEventType]: Omit<Notification<NotificationResources[E]>, "eventType"> & {
    eventType: E;
  };
}[MarketingEventType];

/**
 * A notification that verified and decrypted, but whose event type the marketing spec does not
 * describe (WeChat Pay may add events). It carries the verified envelope so the handler can still
 * acknowledge it: answer 200 or 204. Answering 4xx or 5xx makes WeChat Pay send it again, every
 * 60 s and for up to a day, without ever succeeding.
 */
export class UnsupportedEventError extends WechatpayError {
  override name = "UnsupportedEventError";
  /** The notification's id: deduplicate on it like any other. */
  readonly id: string;
  readonly eventType: string;
  readonly createTime: string;
  readonly resourceType: string;
  readonly summary: string;
  /** The decrypted resource, untyped: the spec does not describe this event. */
  readonly resource: unknown;

  constructor(notification: Notification<unknown>) {
    super(
      "EVENT_UNSUPPORTED",
      `notification event_type ${JSON.stringify(notification.eventType)} is not one the marketing spec describes; acknowledge it (200/204) so that WeChat Pay stops resending it`,
    );
    this.id = notification.id;
    this.eventType = notification.eventType;
    this.createTime = notification.createTime;
    this.resourceType = notification.resourceType;
    this.summary = notification.summary;
    this.resource = notification.resource;
  }
}

/**
 * Verifies a notification's signature and time window, decrypts its resource and types it from the
 * spec's `webhooks`. An event the spec does not describe rejects with an `UnsupportedEventError`
 * that still carries the verified envelope: acknowledge it rather than answering an error. A bad
 * signature's message says to verify the raw body as received; a resource that does not decrypt,
 * to check the APIv3 key.
 */
export async function parseNotification(
  request: NotificationRequest,
  options: NotificationOptions,
): Promise<MarketingNotification> {
  const notification = await parseSignedNotification<unknown>(request, options).catch(
    (error: unknown) => {
      throw withAdvice(error);
    },
  );
  if (!isMarketingEvent(notification.eventType)) {
    throw new UnsupportedEventError(notification);
  }
  return notification as MarketingNotification;
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(EVENT_TYPES);

function isMarketingEvent(eventType: string): eventType is MarketingEventType {
  return KNOWN_EVENTS.has(eventType);
}
