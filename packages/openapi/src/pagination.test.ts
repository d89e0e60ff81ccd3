import { describe, expect, it } from "vitest";
import {
  DocumentModelError,
  document,
  type OpenApiDocument,
  operation,
  operations,
  readPagination,
} from "./index.js";

// biome-ignore lint/suspicious/noExplicitAny: a copy of the document, edited in place by the test
type Json = Record<string, any>;

/** The first operation of a copy of the document whose list operation got `extension`. */
function withExtension(extension: unknown) {
  const copy = structuredClone(document) as Json;
  copy.paths["/v3/marketing/favor/stocks"].get["x-pagination"] = extension;
  const found = operations(copy as OpenApiDocument).find(
    (o) => o.operationId === "listFavorStocks",
  );
  if (!found) throw new Error("listFavorStocks is gone from the document");
  return found;
}

describe("readPagination", () => {
  it("reads the x-pagination of the bundled lists, with maxLimit only where one is documented", () => {
    expect(readPagination(operation("listFavorStocks"))).toEqual({
      items: "data",
      total: "total_count",
      offset: "offset",
      limit: "limit",
      mode: "page",
      maxLimit: 10,
    });
    expect(readPagination(operation("listBusifavorUserCoupons"))).toEqual({
      items: "data",
      total: "total_count",
      offset: "offset",
      limit: "limit",
      mode: "page",
    });
    expect(readPagination(operation("getBusifavorStock"))).toBeUndefined();
    expect(operations().filter((o) => readPagination(o)).length).toBe(10);
  });

  it.each([
    [[], "x-pagination must be an object"],
    [
      { total: "total_count", offset: "offset", limit: "limit", mode: "page" },
      "x-pagination.items",
    ],
    [
      { items: "data", total: "", offset: "offset", limit: "limit", mode: "page" },
      "x-pagination.total",
    ],
    [
      { items: "data", total: "total_count", offset: "offset", limit: "limit", mode: "cursor" },
      "x-pagination.mode must be one of page, item",
    ],
    [
      {
        items: "data",
        total: "total_count",
        offset: "offset",
        limit: "limit",
        mode: "item",
        maxLimit: 0,
      },
      "x-pagination.maxLimit must be a positive integer",
    ],
  ])("refuses %j naming the operation and the field", (extension, message) => {
    const list = withExtension(extension);
    expect(() => readPagination(list)).toThrow(DocumentModelError);
    expect(() => readPagination(list)).toThrow(
      `GET /v3/marketing/favor/stocks (listFavorStocks): ${message}`,
    );
  });
});
