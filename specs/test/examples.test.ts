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

/** Ajv accepts fields a schema does not name; the spec's examples must not carry any. */
function unknownFields(
  doc: JsonObject,
  schemaNode: Json | undefined,
  value: Json,
  at: string,
): string[] {
  const schema = resolveRef<JsonObject | undefined>(doc, schemaNode);
  if (!schema || typeof schema !== "object") return [];
  const parts = [
    ...((schema.allOf ?? []) as Json[]),
    ...((schema.oneOf ?? []) as Json[]),
    ...((schema.anyOf ?? []) as Json[]),
  ].map((s) => resolveRef<JsonObject>(doc, s));
  if (Array.isArray(value))
    return value.flatMap((item, i) => unknownFields(doc, schema.items, item, `${at}/${i}`));
  if (!value || typeof value !== "object") return [];
  const known = new Map<string, Json>();
  for (const s of [schema, ...parts])
    for (const [k, v] of Object.entries((s.properties ?? {}) as JsonObject)) known.set(k, v);
  if (known.size === 0 && schema.additionalProperties !== undefined) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    known.has(key) ? unknownFields(doc, known.get(key), v, `${at}/${key}`) : [`${at}/${key}`],
  );
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
