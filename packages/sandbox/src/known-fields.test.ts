import { describe, expect, it } from "vitest";
import { compileKnownFields } from "./known-fields.js";

/** Schemas by `#/components/schemas/<name>`, resolved the way validation.ts does. */
const known = (schema: unknown, schemas: Record<string, unknown> = {}) =>
  compileKnownFields(schema, (ref) => schemas[ref.replace("#/components/schemas/", "")]);
const copier = (schema: unknown, schemas: Record<string, unknown> = {}) =>
  known(schema, schemas).copy;

describe("compileKnownFields over composed schemas", () => {
  it("keeps the fields of every oneOf variant (the discriminator picks one), drops the rest", () => {
    const schemas = {
      Fields: { type: "object", properties: { kind: { type: "string" }, id: { type: "string" } } },
      A: {
        type: "object",
        allOf: [{ $ref: "#/components/schemas/Fields" }],
        properties: { kind: { const: "A" }, a: { type: "string" }, b: false },
      },
      B: {
        type: "object",
        allOf: [{ $ref: "#/components/schemas/Fields" }],
        properties: { kind: { const: "B" }, b: { type: "object", properties: { n: {} } } },
      },
    };
    const copy = copier(
      {
        oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }],
        discriminator: { propertyName: "kind" },
      },
      schemas,
    );
    expect(copy({ kind: "A", id: "1", a: "x", stray: 1 })).toEqual({ kind: "A", id: "1", a: "x" });
    // B declares b (an object with n); A forbids it, which validation refuses before copying.
    expect(copy({ kind: "B", b: { n: 1, m: 2 } })).toEqual({ kind: "B", b: { n: 1 } });
  });

  it("keeps the fields an if/then/else names in either outcome", () => {
    const copy = copier({
      type: "object",
      properties: { method: { type: "string" } },
      if: { properties: { method: { const: "MINI" } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else, not a promise
      then: { properties: { appid: { type: "string" } }, required: ["appid"] },
      else: { properties: { store: { type: "string" } } },
      dependentSchemas: { store: { properties: { store_name: { type: "string" } } } },
    });
    expect(copy({ method: "MINI", appid: "wx", store: "s", store_name: "n", other: 1 })).toEqual({
      method: "MINI",
      appid: "wx",
      store: "s",
      store_name: "n",
    });
  });

  it("closes a body of variants with unevaluatedProperties the same way", () => {
    const copy = copier({
      type: "object",
      allOf: [{ properties: { stock_name: { type: "string" } } }],
      properties: { stock_type: { const: "NORMAL" } },
      unevaluatedProperties: false,
    });
    expect(
      copy({ stock_name: "n", stock_type: "NORMAL", __proto__: { x: 1 }, stray: true }),
    ).toEqual({
      stock_name: "n",
      stock_type: "NORMAL",
    });
  });
});

describe("firstUnknown: the key the copy would drop, as a JSON pointer", () => {
  const stock = known({
    type: "object",
    properties: {
      stock_name: { type: "string" },
      rule: {
        type: "object",
        properties: { max_coupons: { type: "integer" } },
      },
      items: { type: "array", items: { type: "object", properties: { id: {} } } },
      labels: { type: "object", additionalProperties: { type: "string" } },
      extra: {},
    },
  });

  it("finds nothing in a body of declared fields (and open maps, and untyped values)", () => {
    const body = {
      stock_name: "n",
      rule: { max_coupons: 1 },
      items: [{ id: 1 }, { id: 2 }],
      labels: { any: "x", other: "y" },
      extra: { whatever: { deep: true } },
    };
    expect(stock.firstUnknown(body)).toBeUndefined();
    expect(stock.copy(body)).toEqual(body);
  });

  it("names a top-level, a nested and an array item's unknown key", () => {
    expect(stock.firstUnknown({ stock_nme: "n" })).toBe("/stock_nme");
    expect(stock.firstUnknown({ rule: { max_coupon: 1 } })).toBe("/rule/max_coupon");
    expect(stock.firstUnknown({ items: [{ id: 1 }, { id: 2, idd: 3 }] })).toBe("/items/1/idd");
  });

  it("names prototype keys even where the schema is open, and escapes the pointer", () => {
    expect(stock.firstUnknown(JSON.parse('{"extra":{"__proto__":{"x":1}}}'))).toBe(
      "/extra/__proto__",
    );
    expect(stock.firstUnknown({ "a/b~c": 1 })).toBe("/a~1b~0c");
  });

  it("keeps the fields of either oneOf variant, as the copy does", () => {
    const variants = known({
      oneOf: [
        { type: "object", properties: { kind: { const: "A" }, a: {} } },
        { type: "object", properties: { kind: { const: "B" }, b: {} } },
      ],
    });
    expect(variants.firstUnknown({ kind: "A", a: 1, b: 2 })).toBeUndefined();
    expect(variants.firstUnknown({ kind: "A", c: 1 })).toBe("/c");
  });
});
