// The Node adapter on a real node:http server on 127.0.0.1: the raw body read from the stream,
// kept by a body parser (a Buffer or a string), or gone (an object): then 500 naming the fix.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createNotificationSender } from "../test/notifications.js";
import type { NotificationLogEntry } from "./index.js";
import { createNodeNotificationHandler } from "./node.js";

const { options, send } = createNotificationSender();
const delivery = (id: string) =>
  send({ id, eventType: "COUPON.SEND", resource: { coupon_code: "c1", stock_id: "s1" } });

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(
  prepare: (request: IncomingMessage & { body?: unknown; rawBody?: unknown }) => Promise<void>,
  log: NotificationLogEntry[],
  ids: string[],
) {
  const handler = createNodeNotificationHandler({ ...options, log: (e) => log.push(e) }, (n) => {
    ids.push(n.id);
  });
  const server = createServer(async (request, response) => {
    await prepare(request);
    await handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("createNodeNotificationHandler", () => {
  it("reads the raw body from node:http's stream, answers 204 and dedupes", async () => {
    const log: NotificationLogEntry[] = [];
    const ids: string[] = [];
    const url = await serve(async () => {}, log, ids);
    const d = await delivery("EV-node-1");
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(url, { method: "POST", headers: d.headers, body: d.body });
      expect(answer.status).toBe(204);
    }
    expect(ids).toEqual(["EV-node-1"]);
    expect(log.map((e) => e.outcome)).toEqual(["handled", "duplicate"]);
  });

  it("uses the raw bytes a parser kept (express.raw's Buffer, a verify hook's rawBody)", async () => {
    const log: NotificationLogEntry[] = [];
    const ids: string[] = [];
    let turn = 0;
    const url = await serve(
      async (request) => {
        const raw = await readAll(request);
        if (turn++ === 0) request.body = raw;
        else Object.assign(request, { rawBody: raw, body: JSON.parse(raw.toString()) });
      },
      log,
      ids,
    );
    for (const id of ["EV-node-2", "EV-node-3"]) {
      const d = await delivery(id);
      expect((await fetch(url, { method: "POST", headers: d.headers, body: d.body })).status).toBe(
        204,
      );
    }
    expect(ids).toEqual(["EV-node-2", "EV-node-3"]);
  });

  it("answers 500 and logs how to route it when a JSON parser already consumed the body", async () => {
    const log: NotificationLogEntry[] = [];
    const ids: string[] = [];
    const url = await serve(
      async (request) => {
        request.body = JSON.parse((await readAll(request)).toString());
      },
      log,
      ids,
    );
    const d = await delivery("EV-node-4");
    const answer = await fetch(url, { method: "POST", headers: d.headers, body: d.body });
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ code: "FAIL", message: "raw body unavailable" });
    expect(ids).toEqual([]);
    expect(log[0]?.message).toMatch(/before express\.json\(\).*express\.raw/);
  });

  it("answers 413 past maxBodyBytes while the stream is still arriving", async () => {
    const handler = createNodeNotificationHandler({ ...options, maxBodyBytes: 100 }, () => {});
    const server = createServer((request, response) => void handler(request, response));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const answer = await fetch(url, { method: "POST", body: "x".repeat(10_000) });
    expect(answer.status).toBe(413);
  });
});
