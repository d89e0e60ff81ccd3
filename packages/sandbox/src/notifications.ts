import { randomUUID } from "node:crypto";
import { signNotification, signResponse } from "@wechatpay-marketing/signer/server";

export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  error?: string;
}

/** One notification and what happened to it: GET /sandbox/notifications lists these. */
export interface NotificationDelivery {
  id: string;
  event_type: string;
  notify_url: string;
  /** Where it was actually sent (a loopback https URL is sent over plain http). */
  delivered_to: string;
  resource: unknown;
  state: "PENDING" | "DELIVERED" | "FAILED";
  attempts: DeliveryAttempt[];
}

export interface NotifierOptions {
  apiV3Key: string;
  /** Signs with this platform key pair; `serial` goes in Wechatpay-Serial. */
  signingKey: () => { privateKey: string; serial: string };
  /** Delays before each retry, in ms. WeChat Pay: every 60 s, 11 sends in all. */
  retryDelaysMs: readonly number[];
  /** Maps the notify URL to where the sandbox sends it. */
  resolveUrl: (notifyUrl: string) => string;
  fetch: typeof fetch;
  /** Called with every envelope and decrypted resource, for strict-mode checks. */
  inspect?: (envelope: unknown, resource: unknown) => void;
  timeoutMs?: number;
}

export const WECHATPAY_RETRY_DELAYS_MS: readonly number[] = Array.from(
  { length: 10 },
  () => 60_000,
);

/** Cash coupon events (COUPON.USE): once a minute, 9 sends in all (核销事件回调通知). */
export const FAVOR_RETRY_DELAYS_MS: readonly number[] = Array.from({ length: 8 }, () => 60_000);

/**
 * Sends notifications as WeChat Pay does: encrypted with the APIv3 key, signed with the
 * platform key, retried on anything but 200/204 (or no answer) until the schedule runs out.
 * Every retry carries the same body and id, with fresh signature headers.
 */
export class Notifier {
  readonly log: NotificationDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: NotifierOptions) {}

  async send(input: {
    notifyUrl: string;
    eventType: string;
    summary: string;
    originalType: string;
    resource: unknown;
    /** This event's retry schedule, when it differs from the notifier's. */
    retryDelaysMs?: readonly number[] | undefined;
  }): Promise<NotificationDelivery> {
    const { privateKey, serial } = this.options.signingKey();
    const id = randomUUID();
    const { body } = await signNotification({
      id,
      eventType: input.eventType,
      summary: input.summary,
      resource: input.resource,
      originalType: input.originalType,
      associatedData: input.originalType,
      apiV3Key: this.options.apiV3Key,
      privateKey,
      serial,
    });
    this.options.inspect?.(JSON.parse(body), input.resource);
    const delivery: NotificationDelivery = {
      id,
      event_type: input.eventType,
      notify_url: input.notifyUrl,
      delivered_to: this.options.resolveUrl(input.notifyUrl),
      resource: input.resource,
      state: "PENDING",
      attempts: [],
    };
    this.log.push(delivery);
    this.attempt(delivery, body, input.retryDelaysMs ?? this.options.retryDelaysMs, 0);
    return delivery;
  }

  private attempt(
    delivery: NotificationDelivery,
    body: string,
    delays: readonly number[],
    index: number,
  ): void {
    if (this.closed) return;
    const run = this.deliver(delivery, body).then((ok) => {
      if (ok) {
        delivery.state = "DELIVERED";
        return;
      }
      const delay = delays[index];
      if (delay === undefined || this.closed) {
        delivery.state = "FAILED";
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.attempt(delivery, body, delays, index + 1);
      }, delay);
      timer.unref();
      this.timers.add(timer);
    });
    this.inFlight.add(run);
    run.finally(() => this.inFlight.delete(run));
  }

  private async deliver(delivery: NotificationDelivery, body: string): Promise<boolean> {
    const { privateKey, serial } = this.options.signingKey();
    const attempt: DeliveryAttempt = { at: new Date().toISOString() };
    delivery.attempts.push(attempt);
    try {
      const headers = await signResponse({ body, privateKey, serial });
      const response = await this.options.fetch(delivery.delivered_to, {
        method: "POST",
        headers: {
          ...headers,
          "Content-Type": "application/json",
          "User-Agent": "Mozilla/4.0 (WeChat Pay sandbox notifier)",
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      attempt.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
      return response.status === 200 || response.status === 204;
    } catch (error) {
      attempt.error = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  /** Resolves when nothing is being sent right now (retries may still be scheduled). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.idle();
  }
}
