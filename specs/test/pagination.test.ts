import { type OpenApiDocument, operations, readPagination } from "@wechatpay-marketing/openapi";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleDocument, type Json, type JsonObject, resolveRef } from "./bundle.js";

/** The query parameters of an operation (path-level ones too), resolved, by name. */
function queryParameters(doc: JsonObject, operation: JsonObject, pathItem: JsonObject) {
  const all = [
    ...((pathItem.parameters ?? []) as Json[]),
    ...((operation.parameters ?? []) as Json[]),
  ];
  return new Map(
    all
      .map((p) => resolveRef<JsonObject>(doc, p))
      .filter((p) => p.in === "query")
      .map((p) => [String(p.name), p] as const),
  );
}

/** The schema of the 2xx application/json answer, with the properties of its allOf parts merged. */
function answerProperties(doc: JsonObject, operation: JsonObject): JsonObject {
  const responses = (operation.responses ?? {}) as JsonObject;
  const ok = Object.entries(responses).find(([status]) => status.startsWith("2"));
  const content = resolveRef<JsonObject>(doc, ok?.[1]).content as JsonObject | undefined;
  const media = (content?.["application/json"] ?? {}) as JsonObject;
  const merged: JsonObject = {};
  const collect = (node: Json | undefined) => {
    const schema = resolveRef<JsonObject | undefined>(doc, node);
    if (!schema) return;
    Object.assign(merged, (schema.properties ?? {}) as JsonObject);
    for (const part of (schema.allOf ?? []) as Json[]) collect(part);
  };
  collect(media.schema);
  return merged;
}

const typeOf = (doc: JsonObject, node: Json | undefined) =>
  resolveRef<JsonObject | undefined>(doc, node)?.type;

describe("x-pagination on every offset/limit list", () => {
  let doc: JsonObject;
  beforeAll(() => {
    doc = bundleDocument();
  }, 60_000);

  it("is on exactly the operations with offset and limit query parameters", () => {
    const list = operations(doc as unknown as OpenApiDocument);
    const paged = list.filter((o) => {
      const query = queryParameters(doc, o.definition as JsonObject, o.pathItem as JsonObject);
      return query.has("offset") && query.has("limit");
    });
    const extended = list.filter((o) => o.definition["x-pagination"] !== undefined);
    expect(extended.map((o) => o.key)).toEqual(paged.map((o) => o.key));
    // 2 merchant coupon, 4 cash coupon, 3 pay-gift lists and the partnership list.
    expect(paged).toHaveLength(10);
  });

  it("names fields that exist: an items array, an integer total, the integer query parameters, limit's maximum as maxLimit", () => {
    const problems = operations(doc as unknown as OpenApiDocument).flatMap((o) => {
      const facts = readPagination(o);
      if (!facts) return [];
      const where = `${o.key} x-pagination`;
      const out: string[] = [];
      const answer = answerProperties(doc, o.definition as JsonObject);
      if (typeOf(doc, answer[facts.items]) !== "array") out.push(`${where}.items is not an array`);
      if (typeOf(doc, answer[facts.total]) !== "integer")
        out.push(`${where}.total is not an integer`);
      const query = queryParameters(doc, o.definition as JsonObject, o.pathItem as JsonObject);
      for (const name of [facts.offset, facts.limit]) {
        const schema = query.get(name)?.schema as Json | undefined;
        if (typeOf(doc, schema) !== "integer")
          out.push(`${where}: query ${name} is not an integer`);
      }
      const limit = resolveRef<JsonObject | undefined>(
        doc,
        query.get(facts.limit)?.schema as Json | undefined,
      );
      if (limit?.maximum !== facts.maxLimit)
        out.push(`${where}.maxLimit ${facts.maxLimit} but limit's maximum is ${limit?.maximum}`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it("pages every list by page number, as the official documents name offset (分页页码)", () => {
    const modes = operations(doc as unknown as OpenApiDocument)
      .map((o) => readPagination(o)?.mode)
      .filter((mode) => mode !== undefined);
    expect(new Set(modes)).toEqual(new Set(["page"]));
  });
});
