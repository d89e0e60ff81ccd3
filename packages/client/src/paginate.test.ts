import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  generateTestKeys,
  type ReceivedRequest,
  type Reply,
  startWechatpayServer,
  type WechatpayTestServer,
} from "../test/wechatpay-server.js";
import { ApiError, ConfigError, createMarketingClient, type MarketingClient } from "./index.js";
import { type PageGetter, paginateList } from "./paginate.js";

// client.paginate against a real signing server on 127.0.0.1: every page is a signed GET whose
// answer the client verifies. The server pages a list of `rows` as WeChat Pay does, by page number
// (or by item position, for the item mode), echoing offset and limit.

const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
const APPID = "wx233544546545989";
const MCHID = "1900000001";
const userCoupons = "/v3/marketing/busifavor/users/{openid}/coupons" as const;

const rows = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ coupon_code: `code-${i}`, stock_id: "1212" }));

interface ListServer {
  mode?: "page" | "item";
  /** Leave total_count out of every page, or of every page after the first. */
  total?: "always" | "never" | "first";
  /** The limit the server uses when the request has none. */
  defaultLimit?: number;
}

function listReply(items: readonly unknown[], options: ListServer = {}) {
  const { mode = "page", total = "always", defaultLimit = 20 } = options;
  return (request: ReceivedRequest): Reply => {
    const offset = Number(request.query.get("offset") ?? 0);
    const limit = Number(request.query.get("limit") ?? defaultLimit);
    const start = mode === "page" ? offset * limit : offset;
    const counted = total === "always" || (total === "first" && offset === 0);
    return {
      status: 200,
      body: {
        data: items.slice(start, start + limit),
        offset,
        limit,
        ...(counted ? { total_count: items.length } : {}),
      },
    };
  };
}

const queries = (server: WechatpayTestServer) =>
  server.received.map((r) => Object.fromEntries(r.query));

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("client.paginate on a real signing server", () => {
  const keys = generateTestKeys();
  let server: WechatpayTestServer;
  let client: MarketingClient;

  beforeAll(async () => {
    server = await startWechatpayServer(keys);
    // Sent once: these tests read the pages' own answers, not the client's retries of them.
    client = createMarketingClient({ ...server.clientOptions, retry: false });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.received.length = 0;
  });

  it("reads every page of a list by page number, at the documented maximum, and stops at total_count", async () => {
    const stocks = Array.from({ length: 23 }, (_, i) => ({ stock_id: `stock-${i}` }));
    server.reply(listReply(stocks));
    const got = await collect(
      client.paginate("/v3/marketing/favor/stocks", {
        params: { query: { stock_creator_mchid: MCHID } },
      }),
    );
    expect(got).toEqual(stocks);
    // 条件查询批次列表 returns at most 10 a page: pages 0, 1 and 2, and no fourth request.
    expect(queries(server)).toEqual(
      [0, 1, 2].map((page) => ({
        stock_creator_mchid: MCHID,
        offset: String(page),
        limit: "10",
      })),
    );
    expect(server.received.every((r) => r.signatureValid && r.method === "GET")).toBe(true);
  });

  it("sends the caller's path and query parameters and pageSize on every page", async () => {
    server.reply(listReply(rows(9)));
    const got = await collect(
      client.paginate(userCoupons, {
        params: { path: { openid: OPENID }, query: { appid: APPID, coupon_state: "SENDED" } },
        pageSize: 4,
      }),
    );
    expect(got.map((c) => c.coupon_code)).toEqual(rows(9).map((c) => c.coupon_code));
    expect(server.received.map((r) => r.pathname)).toEqual(
      Array(3).fill(`/v3/marketing/busifavor/users/${OPENID}/coupons`),
    );
    expect(queries(server)).toEqual(
      [0, 1, 2].map((page) => ({
        appid: APPID,
        coupon_state: "SENDED",
        offset: String(page),
        limit: "4",
      })),
    );
  });

  it("leaves limit to the server where the document gives no maximum, and pages by the limit it echoes", async () => {
    server.reply(listReply(rows(5), { defaultLimit: 2 }));
    const got = await collect(
      client.paginate(userCoupons, {
        params: { path: { openid: OPENID }, query: { appid: APPID } },
      }),
    );
    expect(got).toHaveLength(5);
    expect(queries(server).map((q) => [q.offset, q.limit])).toEqual([
      ["0", undefined],
      ["1", undefined],
      ["2", undefined],
    ]);
  });

  it("keeps the total of the first page when later pages leave it out (查询合作关系列表)", async () => {
    server.reply(listReply(rows(5), { total: "first" }));
    const got = await collect(
      client.paginate("/v3/marketing/partnerships", {
        params: { query: { authorized_data: { business_type: "BUSIFAVOR_STOCK" } } },
        pageSize: 2,
      }),
    );
    expect(got).toHaveLength(5);
    expect(server.received).toHaveLength(3);
  });

  it("stops at an empty page when no page counts the total", async () => {
    server.reply(listReply(rows(4), { total: "never" }));
    const got = await collect(
      client.paginate(userCoupons, {
        params: { path: { openid: OPENID }, query: { appid: APPID } },
        pageSize: 2,
      }),
    );
    expect(got).toHaveLength(4);
    // Pages 0 and 1 hold the four; page 2 is empty and ends the list.
    expect(queries(server).map((q) => q.offset)).toEqual(["0", "1", "2"]);
  });

  it("yields nothing for an empty list after one request", async () => {
    server.reply(listReply([]));
    const got = await collect(
      client.paginate(userCoupons, {
        params: { path: { openid: OPENID }, query: { appid: APPID } },
      }),
    );
    expect(got).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it("throws the error answer of a page as an ApiError, after the items of the pages before", async () => {
    const list = listReply(rows(6));
    server.reply((request) =>
      request.query.get("offset") === "1"
        ? { status: 429, body: { code: "FREQUENCY_LIMITED", message: "频率超限" } }
        : list(request),
    );
    const got: unknown[] = [];
    const failure = collect(
      (async function* () {
        for await (const coupon of client.paginate(userCoupons, {
          params: { path: { openid: OPENID }, query: { appid: APPID } },
          pageSize: 3,
        })) {
          got.push(coupon);
          yield coupon;
        }
      })(),
    );
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({
      status: 429,
      code: "FREQUENCY_LIMITED",
      requestId: "test-2",
    });
    expect(got).toHaveLength(3);
  });

  it("rejects a verified answer whose items are not an array, naming the field and the page", async () => {
    server.reply({ status: 200, body: { data: "none", offset: 0, limit: 10, total_count: 1 } });
    const pages = client.paginate(userCoupons, {
      params: { path: { openid: OPENID }, query: { appid: APPID } },
    });
    await expect(collect(pages)).rejects.toMatchObject({
      name: "WechatpayError",
      code: "PAGE_INVALID",
      message: `${userCoupons}: the answer's data is not an array (offset 0)`,
    });
  });

  it("refuses a pageSize above the documented maximum, or not a positive integer, before any request", () => {
    const favor = (pageSize: number) =>
      client.paginate("/v3/marketing/favor/stocks", {
        params: { query: { stock_creator_mchid: MCHID } },
        pageSize,
      });
    expect(() => favor(11)).toThrow(ConfigError);
    expect(() => favor(11)).toThrow(
      "pageSize: must be an integer from 1 to 10: /v3/marketing/favor/stocks returns at most 10 items a page",
    );
    expect(() => favor(0)).toThrow(ConfigError);
    expect(() =>
      client.paginate(userCoupons, {
        params: { path: { openid: OPENID }, query: { appid: APPID } },
        pageSize: 2.5,
      }),
    ).toThrow(`pageSize: must be a positive integer for ${userCoupons}`);
    expect(server.received).toHaveLength(0);
  });

  it("refuses a path that is not a paged list, from untyped code", () => {
    const untyped = client.paginate as unknown as (path: string) => unknown;
    for (const path of ["/v3/marketing/busifavor/stocks/{stock_id}", "constructor"]) {
      expect(() => untyped(path)).toThrow(ConfigError);
      expect(() => untyped(path)).toThrow(`path: ${path} is not a paged list of the document`);
    }
  });

  it("passes the caller's signal to each page's request, and asks for no page once it aborts", async () => {
    const sent: Request[] = [];
    const watched = createMarketingClient({
      ...server.clientOptions,
      // Without a per-attempt timeout the Request carries the caller's own signal.
      timeout: false,
      fetch: (request: Request) => {
        sent.push(request);
        return fetch(request);
      },
    });
    server.reply(listReply(rows(6)));
    const controller = new AbortController();
    const pages = watched.paginate(userCoupons, {
      params: { path: { openid: OPENID }, query: { appid: APPID } },
      pageSize: 2,
      signal: controller.signal,
    });
    const got: unknown[] = [];
    const reading = (async () => {
      for await (const coupon of pages) {
        got.push(coupon);
        if (got.length === 2) controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ name: "AbortError" });
    expect(got).toHaveLength(2);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.signal.aborted).toBe(true);
  });
});

describe("paginateList by item position (x-pagination mode: item)", () => {
  const keys = generateTestKeys();
  let server: WechatpayTestServer;
  let get: PageGetter;

  beforeAll(async () => {
    server = await startWechatpayServer(keys);
    get = createMarketingClient(server.clientOptions).GET as unknown as PageGetter;
  });
  afterAll(() => server.close());

  it("advances offset by the items received, so a server that caps the page loses nothing", async () => {
    // The server caps each page at 3 items whatever the request asks for.
    const list = listReply(rows(8), { mode: "item" });
    server.reply((request) => {
      const answer = list(request);
      const body = answer.body as { data: unknown[]; limit: number };
      return { ...answer, body: { ...body, data: body.data.slice(0, 3) } };
    });
    const rule = {
      items: "data",
      total: "total_count",
      offset: "offset",
      limit: "limit",
      mode: "item",
      maxLimit: 5,
    } as const;
    const got = await collect(
      paginateList(get, userCoupons, rule, {
        params: { path: { openid: OPENID }, query: { appid: APPID } },
      }),
    );
    expect(got).toEqual(rows(8));
    expect(server.received.map((r) => [r.query.get("offset"), r.query.get("limit")])).toEqual([
      ["0", "5"],
      ["3", "5"],
      ["6", "5"],
    ]);
  });
});
