import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { document } from "@wechatpay-marketing/openapi";
import { afterEach, describe, expect, it } from "vitest";
import { generate } from "../scripts/generator/index.mjs";

// The generator run on changed copies of the bundled document, in a temp dir: what the spec adds is
// typed and tested with no hand edit, and what it leaves out fails the build naming the operation
// or webhook.

// biome-ignore lint/suspicious/noExplicitAny: a copy of the document, edited in place by the test
type Json = Record<string, any>;

const copy = (): Json => structuredClone(document) as Json;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function generateInto(doc: Json) {
  const dir = mkdtempSync(join(tmpdir(), "client-generate-"));
  dirs.push(dir);
  await generate(doc, dir);
  return (name: string) => readFileSync(join(dir, name), "utf8");
}

/** A second coupon event, as WeChat Pay could add one: envelope and resource schema of its own. */
function withCouponUseWebhook(doc: Json, notification?: Json) {
  doc.components.schemas.BusifavorCouponUseResource = {
    type: "object",
    description: "The decrypted resource of a COUPON.USE notification (核销事件).",
    required: ["coupon_code", "use_time"],
    properties: {
      coupon_code: { type: "string", description: "The redeemed coupon (券code)." },
      use_time: { type: "string", description: "When it was redeemed (核销时间)." },
    },
  };
  const send = structuredClone(doc.webhooks["COUPON.SEND"]);
  send.post.operationId = "onBusifavorCouponUse";
  send.post.summary = "A user redeemed a merchant coupon (核销事件)";
  if (notification) send.post["x-notification"] = notification;
  else delete send.post["x-notification"];
  doc.webhooks["COUPON.USE"] = send;
  return doc;
}

/** An operation added to the spec: a copy of the stock detail under a new path and operationId. */
function withStockSummaryOperation(doc: Json) {
  const item = structuredClone(doc.paths["/v3/marketing/busifavor/stocks/{stock_id}"]);
  delete item.patch;
  item.get.operationId = "getBusifavorStockSummary";
  doc.paths["/v3/marketing/busifavor/stocks/{stock_id}/summary"] = item;
  return { doc, get: item.get as Json };
}

// Each test generates the whole document (openapi-typescript): seconds on a busy 2-core machine.
describe("the generator on a changed document", { timeout: 30_000 }, () => {
  it("types a webhook added to the spec, and writes its type tests", async () => {
    const doc = withCouponUseWebhook(copy(), {
      resource: { $ref: "#/components/schemas/BusifavorCouponUseResource" },
      original_type: "coupon",
      summary: "商家券核销通知",
    });
    const read = await generateInto(doc);
    expect(read("notifications.gen.ts")).toContain(
      '"COUPON.USE": components["schemas"]["BusifavorCouponUseResource"];',
    );
    expect(read("notifications.gen.ts")).toContain('["COUPON.SEND","COUPON.USE"]');
    expect(read("webhooks.gen.test-d.ts")).toContain(
      'describe("COUPON.USE (onBusifavorCouponUse)"',
    );
  });

  it("fails naming a webhook added without x-notification", async () => {
    const doc = withCouponUseWebhook(copy());
    await expect(generateInto(doc)).rejects.toThrow(
      /webhook COUPON\.USE \(onBusifavorCouponUse\) has no x-notification/,
    );
  });

  it("fails naming a webhook whose x-notification does not reference a component", async () => {
    const doc = withCouponUseWebhook(copy(), {
      resource: { type: "object" },
      original_type: "coupon",
      summary: "商家券核销通知",
    });
    await expect(generateInto(doc)).rejects.toThrow(
      /webhook COUPON\.USE \(onBusifavorCouponUse\): x-notification\.resource must reference a component schema/,
    );
  });

  it("covers an operation added to the spec with its own type tests", async () => {
    const { doc } = withStockSummaryOperation(copy());
    const tests = (await generateInto(doc))("operations.gen.test-d.ts");
    const block = tests.slice(
      tests.indexOf(
        'describe("getBusifavorStockSummary (GET /v3/marketing/busifavor/stocks/{stock_id}/summary)"',
      ),
    );
    expect(block).not.toBe(tests);
    expect(block).toContain('it("rejects an unknown path parameter"');
    expect(block).toContain('it("types error.code as the documented codes"');
  });

  it("fails naming an operation added without documented error codes", async () => {
    const { doc, get } = withStockSummaryOperation(copy());
    get.responses["400"].content["application/json"].schema = {
      $ref: "#/components/schemas/Error",
    };
    await expect(generateInto(doc)).rejects.toThrow(
      /getBusifavorStockSummary \(GET \/v3\/marketing\/busifavor\/stocks\/\{stock_id\}\/summary\): the 400 answer's error code has no enum/,
    );
  });

  it("fails naming an operation added without an example of a required parameter", async () => {
    const { doc, get } = withStockSummaryOperation(copy());
    // Inline, without the example the shared parameter (and its schema) has.
    get.parameters = [{ name: "stock_id", in: "path", required: true, schema: { type: "string" } }];
    await expect(generateInto(doc)).rejects.toThrow(
      /getBusifavorStockSummary .*: the required path parameter stock_id has no example/,
    );
  });

  it("refuses a schema kept under $defs, which would become a fake property", async () => {
    const doc = copy();
    doc.components.schemas.BusifavorNotification.$defs = {
      Resource: { $ref: "#/components/schemas/BusifavorCouponSendResource" },
    };
    await expect(generateInto(doc)).rejects.toThrow(
      /#\/components\/schemas\/BusifavorNotification keeps schemas under \$defs/,
    );
  });

  it("writes the retry table from x-idempotency, and fails naming a write without it", async () => {
    const read = await generateInto(copy());
    expect(read("idempotency.gen.ts")).toContain(
      '"/v3/marketing/busifavor/coupons/send": { POST: {"in":"body","field":["out_request_no"]} },',
    );
    expect(read("idempotency.gen.ts")).not.toContain("/v3/marketing/favor/stocks/{stock_id}/start");
    const doc = copy();
    delete doc.paths["/v3/marketing/busifavor/coupons/use"].post["x-idempotency"];
    await expect(generateInto(doc)).rejects.toThrow(
      /POST \/v3\/marketing\/busifavor\/coupons\/use \(useBusifavorCoupon\) has no x-idempotency/,
    );
  });

  it("tables a list added to the spec from its x-pagination, and nothing else", async () => {
    const doc = copy();
    doc.paths["/v3/marketing/busifavor/stocks/{stock_id}/couponcodes"].get["x-pagination"] = {
      items: "data",
      total: "total_count",
      offset: "offset",
      limit: "limit",
      mode: "item",
      maxLimit: 50,
    };
    delete doc.paths["/v3/marketing/partnerships"].get["x-pagination"];
    const table = (await generateInto(doc))("pagination.gen.ts");
    const entry = table.slice(
      table.indexOf('"/v3/marketing/busifavor/stocks/{stock_id}/couponcodes"'),
    );
    expect(entry).toMatch(/^"[^"]+": \{[^}]*mode: "item",\s*maxLimit: 50,/);
    expect(table).not.toContain('"/v3/marketing/partnerships"');
    expect(table).toContain('"/v3/marketing/favor/stocks": {');
  });

  it("fails naming an operation whose x-pagination is not on a GET", async () => {
    const doc = copy();
    doc.paths["/v3/marketing/busifavor/stocks"].post["x-pagination"] = {
      items: "data",
      total: "total_count",
      offset: "offset",
      limit: "limit",
      mode: "page",
    };
    await expect(generateInto(doc)).rejects.toThrow(
      "POST /v3/marketing/busifavor/stocks (createBusifavorStock): x-pagination is only read on GET",
    );
  });
});
