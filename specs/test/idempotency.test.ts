import { beforeAll, describe, expect, it } from "vitest";
import { bundleDocument, type JsonObject, listOperations } from "./bundle.js";
import { specFields } from "./fields.js";

// `x-idempotency` tells the client which calls it may send again after a failure: a write names the
// business number (or header) that makes a repeat harmless, or says `false`. Reads (GET) are
// idempotent by HTTP's own rules and carry none. The client's retry table is generated from it, so
// a wrong entry here would repeat a coupon send: every entry is checked against the request itself.

const LOCATIONS = ["body", "query", "header"] as const;
const EXTENSION_KEYS = new Set(["in", "field", "required"]);

/** What one operation's extension says is wrong, or nothing. */
function problemsOf(
  doc: JsonObject,
  method: string,
  path: string,
  op: JsonObject,
  item: JsonObject,
) {
  const where = `${method} ${path}`;
  const extension = op["x-idempotency"];
  if (method === "GET") {
    return extension === undefined ? [] : [`${where}: a read needs no x-idempotency`];
  }
  const fields = specFields(doc, where, op, item);
  if (extension === false) {
    // A write the document calls not idempotent must not hide a request number it forgot to name.
    const named = [...fields.keys()].filter((name) => /request_no$|out_subsidy/.test(name));
    return named.length === 0 ? [] : [`${where}: x-idempotency false, but it sends ${named}`];
  }
  if (typeof extension !== "object" || extension === null || Array.isArray(extension)) {
    return [`${where}: no x-idempotency (name the field that makes it idempotent, or false)`];
  }
  const { in: location, field, required } = extension as JsonObject;
  const extra = Object.keys(extension).filter((key) => !EXTENSION_KEYS.has(key));
  if (extra.length > 0) return [`${where}: x-idempotency has unknown keys ${extra}`];
  if (!LOCATIONS.includes(location as (typeof LOCATIONS)[number]) || typeof field !== "string") {
    return [`${where}: x-idempotency needs in (body|query|header) and field`];
  }
  const name = location === "header" ? `header.${field.toLowerCase()}` : `${location}.${field}`;
  const facts = fields.get(name);
  if (!facts) return [`${where}: x-idempotency names ${name}, which the request does not have`];
  if (facts.type !== "string") return [`${where}: ${name} is not a string`];
  // Every level down to the field must be required, or the number may be absent from a call.
  const levels = name.split(".").map((_, i, parts) => parts.slice(0, i + 1).join("."));
  const optional = levels.slice(1).filter((level) => fields.get(level)?.required !== true);
  if (required === false) {
    return optional.length > 0 ? [] : [`${where}: ${name} is required; drop required: false`];
  }
  return optional.length === 0 ? [] : [`${where}: ${optional.join(", ")} not required`];
}

describe("x-idempotency", () => {
  let doc: JsonObject;
  beforeAll(() => {
    doc = bundleDocument();
  }, 60_000);

  it("names, on every write, the required request field or header that makes it idempotent, or says false", () => {
    const problems = listOperations(doc).flatMap(({ method, path, operation }) =>
      problemsOf(doc, method, path, operation, (doc.paths as JsonObject)[path] as JsonObject),
    );
    expect(problems).toEqual([]);
  });

  it("marks the writes the documents give no request number as not retried", () => {
    const notIdempotent = listOperations(doc)
      .filter(({ operation }) => operation["x-idempotency"] === false)
      .map(({ operation }) => operation.operationId);
    expect(notIdempotent.sort()).toEqual(
      [
        "pauseFavorStock",
        "restartFavorStock",
        "setBusifavorCallback",
        "setFavorCallback",
        "startFavorStock",
        "terminatePayGiftActivity",
        "updateFavorStockGoods",
        "uploadMarketingImage",
      ].sort(),
    );
  });

  it("allows required: false only where the document keeps the number optional", () => {
    const optional = listOperations(doc)
      .filter(({ operation }) => (operation["x-idempotency"] as JsonObject)?.required === false)
      .map(({ operation }) => operation.operationId);
    // 新增/删除活动发券商户号: the seeds and the reference give add_request_no / delete_request_no
    // without a required flag; the client retries those calls only when the number is sent.
    expect(optional.sort()).toEqual([
      "addPayGiftActivityMerchants",
      "deletePayGiftActivityMerchants",
    ]);
  });
});
