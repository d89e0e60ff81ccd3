// createNotificationHandler end to end within one process: real RSA signatures and AES-GCM (keys
// generated here), the Web Request/Response classes, and the in-memory store.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createNotificationSender } from "../test/notifications.js";
import {
  createMemoryNotificationStore,
  createNotificationHandler,
  type MarketingNotification,
  type NotificationLogEntry,
} from "./index.js";

const { apiV3Key, options, couponSent: resource, send } = createNotificationSender();

let sequence = 0;
async function delivery(eventType = "COUPON.SEND", id = `EV-${++sequence}`) {
  const { headers, body } = await send({ id, eventType, resource });
  return { headers, body, id };
}
const post = (d: { headers: Record<string, string>; body: string }) =>
  new Request("http://127.0.0.1/notify", { method: "POST", headers: d.headers, body: d.body });

describe("createNotificationHandler", () => {
  it("calls onEvent with the typed notification and answers 204 without a body", async () => {
    const seen: MarketingNotification[] = [];
    const handler = createNotificationHandler(options, (n) => {
      seen.push(n);
    });
    const d = await delivery();
    const response = await handler(post(d));
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: d.id, eventType: "COUPON.SEND", resource });
  });

  it("acknowledges a retry of a handled id without calling onEvent again", async () => {
    let calls = 0;
    const log: NotificationLogEntry[] = [];
    const handler = createNotificationHandler({ ...options, log: (e) => log.push(e) }, () => {
      calls++;
    });
    const d = await delivery();
    expect((await handler(post(d))).status).toBe(204);
    expect((await handler(post(d))).status).toBe(204);
    expect(calls).toBe(1);
    expect(log.map((e) => e.outcome)).toEqual(["handled", "duplicate"]);
  });

  it("runs onEvent once for two concurrent deliveries: the second answers 503 so WeChat Pay resends", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const handler = createNotificationHandler(options, async () => {
      calls++;
      await gate;
    });
    const d = await delivery();
    const first = handler(post(d));
    await new Promise((r) => setTimeout(r, 50));
    const second = await handler(post(d));
    expect(second.status).toBe(503);
    expect(await second.json()).toEqual({ code: "FAIL", message: "notification is being handled" });
    release();
    expect((await first).status).toBe(204);
    expect((await handler(post(d))).status).toBe(204);
    expect(calls).toBe(1);
  });

  it("answers 500 when onEvent throws and handles WeChat Pay's retry afresh", async () => {
    let calls = 0;
    const log: NotificationLogEntry[] = [];
    const handler = createNotificationHandler({ ...options, log: (e) => log.push(e) }, () => {
      if (++calls === 1) throw new Error("database down");
    });
    const d = await delivery();
    const failed = await handler(post(d));
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ code: "FAIL", message: "notification handler failed" });
    expect((await handler(post(d))).status).toBe(204);
    expect(calls).toBe(2);
    expect(log.map((e) => e.outcome)).toEqual(["handler-failed", "handled"]);
    expect(log[0]?.error).toMatchObject({ message: "database down" });
  });

  it("acknowledges an event the spec does not describe, logs it, and does not call onEvent", async () => {
    const log: NotificationLogEntry[] = [];
    let calls = 0;
    const handler = createNotificationHandler({ ...options, log: (e) => log.push(e) }, () => {
      calls++;
    });
    const d = await delivery("COUPON.SOMETHING_NEW");
    expect((await handler(post(d))).status).toBe(204);
    expect(calls).toBe(0);
    expect(log).toEqual([
      expect.objectContaining({
        level: "warn",
        outcome: "unsupported-event",
        eventType: "COUPON.SOMETHING_NEW",
        id: d.id,
      }),
    ]);
  });

  it("refuses a tampered body with 401, before the store sees its id", async () => {
    const store = createMemoryNotificationStore();
    const log: NotificationLogEntry[] = [];
    const handler = createNotificationHandler(
      { ...options, store, log: (e) => log.push(e) },
      () => {
        throw new Error("must not run");
      },
    );
    const d = await delivery();
    const response = await handler(post({ ...d, body: d.body.replace("encrypt", "Encrypt") }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: "FAIL",
      message: "signature verification failed",
    });
    expect(store.size).toBe(0);
    expect(log[0]?.message).toMatch(/raw body exactly as received/);
  });

  it("refuses a body re-serialized after JSON parsing (whitespace changed): the signature covers the raw bytes", async () => {
    const handler = createNotificationHandler(options, () => {});
    const d = await delivery();
    const reformatted = JSON.stringify(JSON.parse(d.body), null, 2);
    expect((await handler(post({ ...d, body: reformatted }))).status).toBe(401);
  });

  it("says to check the APIv3 key when the resource does not decrypt", async () => {
    const log: NotificationLogEntry[] = [];
    const wrongKey = { ...options, apiV3Key: randomBytes(16).toString("hex") };
    const handler = createNotificationHandler({ ...wrongKey, log: (e) => log.push(e) }, () => {});
    const response = await handler(post(await delivery()));
    expect(response.status).toBe(500);
    expect(log[0]?.message).toMatch(/check the APIv3 key/);
    expect(JSON.stringify(log[0])).not.toContain(apiV3Key);
  });

  it("refuses a body past maxBodyBytes with 413 and a GET with 405", async () => {
    const handler = createNotificationHandler({ ...options, maxBodyBytes: 64 }, () => {});
    expect((await handler(post(await delivery()))).status).toBe(413);
    const get = await handler(new Request("http://127.0.0.1/notify"));
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
  });

  it("answers 500 when the store fails, and a throwing log hook changes nothing", async () => {
    const handler = createNotificationHandler(
      {
        ...options,
        store: {
          claim: () => Promise.reject(new Error("redis down")),
          complete: () => {},
          release: () => {},
        },
        log: () => {
          throw new Error("logger broke");
        },
      },
      () => {},
    );
    const response = await handler(post(await delivery()));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      code: "FAIL",
      message: "notification store unavailable",
    });
  });

  it("throws ConfigError naming a bad option at creation", () => {
    expect(() => createNotificationHandler(options, undefined as never)).toThrow(/onEvent/);
    expect(() => createNotificationHandler({ ...options, ttlMs: 0 }, () => {})).toThrow(/ttlMs/);
    expect(() => createNotificationHandler({ ...options, store: {} as never }, () => {})).toThrow(
      /store: must have claim, complete and release/,
    );
  });
});

describe("createMemoryNotificationStore", () => {
  it("forgets ids after their TTL and sweeps them from memory", () => {
    let now = 1_000;
    const store = createMemoryNotificationStore({ now: () => now });
    expect(store.claim("a", 100)).toBe("claimed");
    expect(store.claim("a", 100)).toBe("in-progress");
    store.complete("a", 100);
    expect(store.claim("a", 100)).toBe("done");
    expect(store.claim("b", 100)).toBe("claimed");
    store.release("b");
    expect(store.claim("b", 100)).toBe("claimed");
    now += 101;
    expect(store.size).toBe(0);
    expect(store.claim("a", 100)).toBe("claimed");
  });
});
