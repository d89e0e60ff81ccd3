import type { CompiledEvent, SentEvent } from "./compiled-document.js";
import type { SendChannel } from "./delivery/issue.js";
import type { Notifier } from "./notifications.js";
import { formatTime } from "./reply.js";
import type { CouponRecord, Json, SandboxStore } from "./store.js";

export interface EventSenderOptions {
  events: Record<SentEvent, CompiledEvent>;
  notifier: Notifier;
  store: SandboxStore;
  violations: string[];
}

export interface EventSender {
  /** Sends an event with the summary and original type its webhook names in the document. */
  notify(
    eventType: SentEvent,
    notifyUrl: string,
    resource: Json,
    retryDelaysMs?: readonly number[],
  ): void;
  /** Fires COUPON.SEND for a coupon a user just received, to its stock creator's notify URL. */
  couponSent(coupon: CouponRecord, channel?: SendChannel | "BUSICOUPON_SEND_CHANNEL_API"): void;
}

export function createEventSender(options: EventSenderOptions): EventSender {
  const { events, notifier, store, violations } = options;
  const notify: EventSender["notify"] = (eventType, notifyUrl, resource, retryDelaysMs) => {
    const { facts } = events[eventType];
    notifier
      .send({
        notifyUrl,
        eventType,
        summary: facts.summary,
        originalType: facts.originalType,
        resource,
        retryDelaysMs,
      })
      .catch((error: unknown) =>
        violations.push(`${eventType} could not be built: ${String(error)}`),
      );
  };
  return {
    notify,
    couponSent(coupon, channel = "BUSICOUPON_SEND_CHANNEL_API") {
      const stock = store.stocks.get(coupon.stock_id);
      if (!stock) return;
      const callback = store.callbacks.get(stock.creatorMchid);
      if (!callback) return;
      // openid/unionid are only filled in when the stock names a notify AppID.
      const notifyAppid = stock.definition.notify_config?.notify_appid as string | undefined;
      notify("COUPON.SEND", callback.notify_url, {
        event_type: "EVENT_TYPE_BUSICOUPON_SEND",
        coupon_code: coupon.coupon_code,
        stock_id: coupon.stock_id,
        send_time: formatTime(coupon.receiveTime),
        ...(notifyAppid ? { openid: coupon.openid } : {}),
        send_channel: channel,
        send_merchant: stock.creatorMchid,
      });
    },
  };
}
