// The sandbox pages every list as its x-pagination says (reply.ts paginate reads the extension the
// client's paginate reads): by page number for the ten lists of the document, by item position
// for a list marked `mode: item`, under the field names the extension gives. The running sandbox
// paging a real list is tested in packages/e2e (sandbox-pages.test.ts).
import { document, type OpenApiDocument, operations } from "@wechatpay-marketing/openapi";
import { describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE, paginate } from "./reply.js";

// biome-ignore lint/suspicious/noExplicitAny: a copy of the document, edited in place by the test
type Json = Record<string, any>;

/** listFavorStocks of a copy of the document whose x-pagination is `extension`. */
function favorStocksWith(extension: Json) {
  const copy = structuredClone(document) as Json;
  copy.paths["/v3/marketing/favor/stocks"].get["x-pagination"] = extension;
  const found = operations(copy as OpenApiDocument).find(
    (o) => o.operationId === "listFavorStocks",
  );
  if (!found) throw new Error("listFavorStocks is gone from the document");
  return found;
}

const letters = ["a", "b", "c", "d", "e", "f", "g"];

describe("reply.ts paginate reads the operation's x-pagination", () => {
  it("mode page: offset is a page number, so offset 1 of limit 2 is the third and fourth item", () => {
    const operation = favorStocksWith({
      items: "data",
      total: "total_count",
      offset: "offset",
      limit: "limit",
      mode: "page",
      maxLimit: 10,
    });
    expect(paginate({ operation, query: { offset: 1, limit: 2 } }, letters)).toEqual({
      total_count: 7,
      offset: 1,
      limit: 2,
      data: ["c", "d"],
    });
    expect(paginate({ operation, query: { offset: 3, limit: 2 } }, letters).data).toEqual(["g"]);
    expect(paginate({ operation, query: { offset: 4, limit: 2 } }, letters).data).toEqual([]);
  });

  it("mode item: offset is the first item's position, under the names the extension gives", () => {
    const operation = favorStocksWith({
      items: "rows",
      total: "count",
      offset: "start",
      limit: "size",
      mode: "item",
    });
    const page = paginate({ operation, query: { start: 1, size: 2 } }, letters, (l) =>
      l.toUpperCase(),
    );
    expect(page).toEqual({ count: 7, start: 1, size: 2, rows: ["B", "C"] });
  });

  it("pages from 0 by the default size when the request names neither", () => {
    const operation = favorStocksWith({
      items: "data",
      total: "total_count",
      offset: "offset",
      limit: "limit",
      mode: "page",
    });
    const many = Array.from({ length: 45 }, (_, i) => i);
    const page = paginate({ operation, query: {} }, many);
    expect(page).toMatchObject({ offset: 0, limit: DEFAULT_PAGE_SIZE, total_count: 45 });
    expect(page.data).toEqual(many.slice(0, DEFAULT_PAGE_SIZE));
  });

  it("refuses an operation that is not a paged list, naming it", () => {
    const single = operations().find((o) => o.operationId === "getBusifavorStock");
    if (!single) throw new Error("getBusifavorStock is gone from the document");
    expect(() => paginate({ operation: single, query: {} }, letters)).toThrow(
      "GET /v3/marketing/busifavor/stocks/{stock_id} has no x-pagination: it is not a paged list",
    );
  });
});
