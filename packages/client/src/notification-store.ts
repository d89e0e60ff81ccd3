/**
 * Which notification ids were handled, so that WeChat Pay's retries and duplicates reach `onEvent`
 * once. A store shared by several processes (Redis, a database) makes that hold across them; the
 * in-memory default holds it within one process.
 */

/**
 * What `claim` found: `"claimed"` (handle it now: nobody has), `"done"` (handled already:
 * acknowledge it) or `"in-progress"` (another delivery of the same notification is being handled
 * right now: answer a failure, WeChat Pay sends it again later and by then it is done or released).
 */
export type NotificationClaim = "claimed" | "done" | "in-progress";

/**
 * Where notification ids are claimed. With Redis, for example: `claim` is
 * `SET key "in-progress" NX PX ttlMs` (then `GET key` when that fails), `complete` is
 * `SET key "done" PX ttlMs`, `release` is `DEL key`. Each call may return a promise.
 */
export interface NotificationStore {
  /** Atomically claims `id` unless it is claimed or done; the claim lapses after `ttlMs`. */
  claim(id: string, ttlMs: number): NotificationClaim | Promise<NotificationClaim>;
  /** `onEvent` succeeded: `id` is done for `ttlMs`, every later delivery is acknowledged. */
  complete(id: string, ttlMs: number): void | Promise<void>;
  /** `onEvent` failed: forget the claim so that WeChat Pay's next retry is handled afresh. */
  release(id: string): void | Promise<void>;
}

/**
 * One hour. WeChat Pay resends a notification that was not answered 200/204 every 60 s, 11 sends
 * in all for COUPON.SEND (seed 003, 3.2.17 领券事件回调通知: "通知频率为60s/次 - 总计11次") and
 * 9 for COUPON.USE (核销事件回调通知, pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter9_1_15.shtml:
 * "通知频率为1min1次,总计9次"): the last retry comes about 10 minutes after the first send. A
 * delivery replayed by someone else verifies for another 300 s (the signature's time window).
 * An hour covers both several times over, for a few hundred bytes per notification.
 */
export const DEFAULT_NOTIFICATION_TTL_MS = 60 * 60 * 1000;

interface Entry {
  state: "in-progress" | "done";
  expiresAt: number;
}

/**
 * The default store: one process's memory. Entries are kept in the order they expire (one TTL for
 * all, each write moves its entry to the end), so expired ones are swept from the front, in time
 * proportional to what is swept.
 */
export function createMemoryNotificationStore(
  options: { now?: () => number } = {},
): NotificationStore & { readonly size: number } {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const sweep = (time: number) => {
    for (const [id, entry] of entries) {
      if (entry.expiresAt > time) break;
      entries.delete(id);
    }
  };
  const put = (id: string, state: Entry["state"], ttlMs: number, time: number) => {
    entries.delete(id);
    entries.set(id, { state, expiresAt: time + ttlMs });
  };
  return {
    get size() {
      sweep(now());
      return entries.size;
    },
    claim(id, ttlMs) {
      const time = now();
      sweep(time);
      const entry = entries.get(id);
      if (entry && entry.expiresAt > time) return entry.state;
      put(id, "in-progress", ttlMs, time);
      return "claimed";
    },
    complete(id, ttlMs) {
      put(id, "done", ttlMs, now());
    },
    release(id) {
      entries.delete(id);
    },
  };
}
