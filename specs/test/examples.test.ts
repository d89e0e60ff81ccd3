import AjvModule from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bundleDocument,
  type Json,
  type JsonObject,
  listOperations,
  resolveRef,
} from "./bundle.js";

// Both are CommonJS: under NodeNext their classes sit on `.default`.
const Ajv2020 = AjvModule.default;
const addFormats = formatsModule.default;
type Ajv2020 = InstanceType<typeof Ajv2020>;

interface ExampleCase {
  where: string;
  schemaPointer: string;
  value: Json;
}

const pointer = (parts: string[]) =>
  `#/${parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

function mediaTypeCases(
  doc: JsonObject,
  content: Json | undefined,
  base: string[],
  where: string,
): ExampleCase[] {
  if (!content || typeof content !== "object" || Array.isArray(content)) return [];
  return Object.entries(content).flatMap(([mediaType, media]) => {
    const m = media as JsonObject;
    if (!m.schema) return [];
    const schemaPointer = pointer([...base, mediaType, "schema"]);
    const examples = Object.entries((m.examples ?? {}) as JsonObject).map(([name, ex]) => ({
      where: `${where} ${mediaType} example "${name}"`,
      schemaPointer,
      value: resolveRef<JsonObject>(doc, ex).value as Json,
    }));
    if (m.example !== undefined)
      examples.push({ where: `${where} ${mediaType} example`, schemaPointer, value: m.example });
    return examples;
  });
}

/** Every example attached to a request body, response or parameter, with the schema it must satisfy. */
function collectExamples(doc: JsonObject): ExampleCase[] {
  const cases: ExampleCase[] = [];
  const operations = listOperations(doc).map((op) => ({
    ...op,
    base: ["paths", op.path, op.method.toLowerCase()],
  }));
  const webhooks = Object.entries((doc.webhooks ?? {}) as Record<string, JsonObject>).flatMap(
    ([name, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: `webhook ${name}`,
        operation: operation as JsonObject,
        base: ["webhooks", name, method],
      })),
  );
  for (const { method, path, operation, base } of [...operations, ...webhooks]) {
    const label = `${method} ${path}`;
    const body = operation.requestBody as JsonObject | undefined;
    if (body && !body.$ref)
      cases.push(
        ...mediaTypeCases(
          doc,
          body.content,
          [...base, "requestBody", "content"],
          `${label} request`,
        ),
      );
    for (const [status, response] of Object.entries((operation.responses ?? {}) as JsonObject)) {
      const r = response as JsonObject;
      // Shared responses are checked once, below, under components.
      if (r.$ref) continue;
      cases.push(
        ...mediaTypeCases(
          doc,
          r.content,
          [...base, "responses", status, "content"],
          `${label} ${status}`,
        ),
      );
    }
    ((operation.parameters ?? []) as Json[]).forEach((param, i) => {
      const p = param as JsonObject;
      if (p.$ref || p.example === undefined || !p.schema) return;
      cases.push({
        where: `${label} parameter ${String(p.name)}`,
        schemaPointer: pointer([...base, "parameters", String(i), "schema"]),
        value: p.example,
      });
    });
  }
  for (const [name, response] of Object.entries(
    ((doc.components as JsonObject)?.responses ?? {}) as JsonObject,
  )) {
    cases.push(
      ...mediaTypeCases(
        doc,
        (response as JsonObject).content,
        ["components", "responses", name, "content"],
        `response ${name}`,
      ),
    );
  }
  for (const [name, param] of Object.entries(
    ((doc.components as JsonObject)?.parameters ?? {}) as JsonObject,
  )) {
    const p = param as JsonObject;
    if (p.example !== undefined && p.schema)
      cases.push({
        where: `parameter ${name}`,
        schemaPointer: pointer(["components", "parameters", name, "schema"]),
        value: p.example,
      });
  }
  return cases;
}

/**
 * The schemas a value is checked against: the schema itself and every part it combines (allOf,
 * oneOf, anyOf, followed through `$ref`s), so the fields of a variant's shared part count.
 */
function partsOf(doc: JsonObject, node: Json | undefined, seen = new Set<Json>()): JsonObject[] {
  const schema = resolveRef<Json | undefined>(doc, node);
  if (!schema || typeof schema !== "object" || Array.isArray(schema) || seen.has(schema)) return [];
  seen.add(schema);
  const combined = ["allOf", "oneOf", "anyOf"].flatMap((k) => (schema[k] ?? []) as Json[]);
  return [schema, ...combined.flatMap((part) => partsOf(doc, part, seen))];
}

/** Ajv accepts fields a schema does not name; the spec's examples must not carry any. */
function unknownFields(
  doc: JsonObject,
  schemaNode: Json | undefined,
  value: Json,
  at: string,
): string[] {
  const parts = partsOf(doc, schemaNode);
  if (parts.length === 0) return [];
  if (Array.isArray(value)) {
    const items = parts.map((p) => p.items).filter((i): i is Json => i !== undefined);
    return value.flatMap((item, i) =>
      items.length ? unknownFields(doc, { allOf: items }, item, `${at}/${i}`) : [],
    );
  }
  if (!value || typeof value !== "object") return [];
  const known = new Map<string, Json[]>();
  for (const part of parts)
    for (const [k, v] of Object.entries((part.properties ?? {}) as JsonObject))
      known.set(k, [...(known.get(k) ?? []), v]);
  if (known.size === 0 && parts.some((p) => p.additionalProperties !== undefined)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const schemas = known.get(key)?.filter((s) => s !== false);
    return schemas?.length
      ? unknownFields(doc, { allOf: schemas }, v, `${at}/${key}`)
      : [`${at}/${key}`];
  });
}

describe("examples in the marketing document", () => {
  let doc: JsonObject;
  let cases: ExampleCase[];
  let ajv: Ajv2020;

  beforeAll(() => {
    doc = bundleDocument();
    cases = collectExamples(doc);
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // The document itself is not a JSON Schema; registering it unvalidated lets `$ref`s into it resolve.
    ajv.addSchema(doc as object, "openapi", undefined, false);
  }, 60_000);

  it("has request and response examples to check", () => {
    expect(cases.length).toBeGreaterThan(listOperations(doc).length);
  });

  it("validates every example against its own schema", () => {
    const failures = cases.flatMap((c) => {
      const validate = ajv.compile({ $ref: `openapi${c.schemaPointer}` });
      return validate(c.value) ? [] : [`${c.where}: ${ajv.errorsText(validate.errors)}`];
    });
    expect(failures).toEqual([]);
  });

  it("puts no field in an example that its schema does not describe", () => {
    const failures = cases.flatMap((c) => {
      const schema = resolveRef<Json>(doc, { $ref: c.schemaPointer });
      return unknownFields(doc, schema, c.value, "").map((field) => `${c.where}: ${field}`);
    });
    expect(failures).toEqual([]);
  });

  it("rejects a wrong example, so the check above can fail", () => {
    const request = cases.find((c) => c.where.includes("request"));
    expect(request).toBeDefined();
    const validate = ajv.compile({ $ref: `openapi${request?.schemaPointer}` });
    expect(validate(42)).toBe(false);
  });
});
