import { describe, expect, it } from "vitest";
import type { JsonObject } from "./bundle.js";
import {
  collectStated,
  compareFields,
  type RefOperation,
  referenceFields,
  specFields,
} from "./fields.js";

/** A one-operation document whose request body is `body` (components under `schemas`). */
const documentWith = (body: JsonObject, schemas: JsonObject = {}): JsonObject => ({
  components: { schemas },
  paths: {
    "/x": {
      post: {
        requestBody: { content: { "application/json": { schema: body } } },
        responses: { "200": { description: "ok" } },
      },
    },
  },
});
const specOf = (doc: JsonObject) =>
  specFields(
    doc,
    "POST /x",
    ((doc.paths as JsonObject)["/x"] as JsonObject).post as JsonObject,
    (doc.paths as JsonObject)["/x"] as JsonObject,
  );
const referenceOf = (body: RefOperation["requestBody"], params: RefOperation["params"] = []) =>
  referenceFields({ method: "POST", path: "/x", params, requestBody: body, responseBody: null });

describe("comparing the document's fields with a reference's", () => {
  const reference = referenceOf({
    type: "object",
    required: ["a"],
    properties: {
      a: { type: "string", maxLength: 8 },
      b: { type: "number", minimum: 1 },
      c: { type: "string", enum: ["X", "Y"] },
      d: { type: "array", items: { type: "string", format: "rfc3339" } },
      gone: { type: "object", properties: { deep: { type: "string" } } },
    },
  });

  it("sees every kind of difference, in both directions, and one per missing or extra subtree", () => {
    const doc = documentWith({
      type: "object",
      required: ["b"],
      properties: {
        a: { type: "string", maxLength: 9 },
        b: { type: "integer", minimum: 0 },
        c: { type: "string", enum: ["X"] },
        d: { type: "array", minItems: 1, items: { type: "string" } },
        added: { type: "object", properties: { inner: { type: "string" } } },
      },
    });
    const kinds = compareFields(specOf(doc), reference).map((d) => `${d.field} ${d.kind}`);
    expect(kinds.sort()).toEqual(
      [
        "body.a length",
        "body.a required",
        "body.added extra",
        "body.b range",
        "body.b required",
        "body.c enum",
        "body.d items",
        "body.d[] format",
        "body.gone missing",
      ].sort(),
    );
  });

  it("finds nothing when the facts agree (integer for number, date-time for rfc3339)", () => {
    const doc = documentWith({
      type: "object",
      required: ["a"],
      properties: {
        a: { type: "string", maxLength: 8 },
        b: { type: "integer", minimum: 1 },
        c: { type: "string", enum: ["Y", "X"] },
        d: { type: "array", items: { type: "string", format: "date-time" } },
        gone: { type: "object", properties: { deep: { type: "string" } } },
      },
    });
    expect(compareFields(specOf(doc), reference)).toEqual([]);
  });

  it("joins oneOf branches: a field required in every branch is required, a tag's values unite, `false` forbids", () => {
    const doc = documentWith(
      {
        oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }],
        discriminator: { propertyName: "kind", mapping: {} },
      },
      {
        Base: {
          type: "object",
          properties: {
            kind: { type: "string", enum: ["A", "B"] },
            id: { type: "string" },
            extra: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
          },
        },
        A: {
          allOf: [{ $ref: "#/components/schemas/Base" }],
          required: ["kind", "id", "extra"],
          properties: { kind: { const: "A" } },
        },
        B: {
          allOf: [{ $ref: "#/components/schemas/Base" }],
          required: ["kind", "id"],
          properties: { kind: { const: "B" }, extra: false },
        },
      },
    );
    const fields = specOf(doc);
    expect(fields.get("body.kind")).toMatchObject({ required: true, enum: ["A", "B"] });
    expect(fields.get("body.id")).toMatchObject({ required: true });
    // Only in A, whose `extra` is required; its own `n` stays required within it.
    expect(fields.get("body.extra")).toMatchObject({ required: false });
    expect(fields.get("body.extra.n")).toMatchObject({ required: true });
  });

  it("applies the keywords beside a $ref", () => {
    const doc = documentWith(
      {
        type: "object",
        properties: { amount: { $ref: "#/components/schemas/Amount", minimum: 1 } },
      },
      { Amount: { type: "integer", maximum: 10 } },
    );
    expect(specOf(doc).get("body.amount")).toMatchObject({ minimum: 1, maximum: 10 });
  });

  it("takes a constraint the reference states for the same schema slot elsewhere, and only that", () => {
    const schemas = {
      Rule: { type: "object", properties: { value: { type: "integer", maximum: 5 } } },
    };
    const doc = documentWith(
      { type: "object", properties: { rule: { $ref: "#/components/schemas/Rule" } } },
      schemas,
    );
    const spec = specOf(doc);
    const silent = referenceOf({
      type: "object",
      properties: { rule: { type: "object", properties: { value: { type: "integer" } } } },
    });
    const stating = referenceOf({
      type: "object",
      properties: {
        rule: { type: "object", properties: { value: { type: "integer", maximum: 5 } } },
      },
    });
    expect(compareFields(spec, silent).map((d) => d.kind)).toEqual(["range"]);
    const stated = collectStated([
      { spec, reference: stating },
      { spec, reference: silent },
    ]);
    expect(compareFields(spec, silent, stated)).toEqual([]);
    // A slot on which the reference contradicts itself keeps no statement.
    const other = referenceOf({
      type: "object",
      properties: {
        rule: { type: "object", properties: { value: { type: "integer", maximum: 6 } } },
      },
    });
    const contradicted = collectStated([
      { spec, reference: stating },
      { spec, reference: other },
    ]);
    expect(compareFields(spec, silent, contradicted).map((d) => d.kind)).toEqual(["range"]);
  });

  it("reads Swagger 2.0 formData and JSON text parameters as their OpenAPI 3.1 forms", () => {
    const doc: JsonObject = {
      paths: {
        "/x": {
          post: {
            parameters: [
              {
                name: "filter",
                in: "query",
                content: { "application/json": { schema: { type: "object" } } },
              },
            ],
            requestBody: {
              content: {
                "multipart/form-data": {
                  schema: {
                    type: "object",
                    required: ["file", "meta"],
                    properties: {
                      file: { type: "string", format: "binary" },
                      meta: { type: "object", properties: { sha256: { type: "string" } } },
                    },
                  },
                  encoding: { meta: { contentType: "application/json" } },
                },
              },
            },
            responses: {},
          },
        },
      },
    };
    const reference = referenceOf(null, [
      { in: "query", name: "filter", type: "string", required: false },
      { in: "formData", name: "file", type: "file", required: true },
      { in: "formData", name: "meta", type: "string", required: true },
    ]);
    expect(compareFields(specOf(doc), reference)).toEqual([]);
  });
});
