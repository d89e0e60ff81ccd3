import { type OpenApiDocument, webhooks } from "@wechatpay-marketing/openapi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bundleDocument,
  type Json,
  type JsonObject,
  listOperations,
  resolveRef,
} from "./bundle.js";

const AREA_TAGS = [
  "Merchant coupons",
  "Cash coupons",
  "Pay-gift activities",
  "Delegated marketing",
  "Marketing images",
];
const VERBS =
  /^(create|get|list|update|set|upload|use|return|deactivate|associate|disassociate|send|preSend|delete|add|build|terminate|start|pause|restart|on)[A-Z][A-Za-z]+$/;
const ERROR_STATUSES = ["400", "401", "403", "404", "429", "500"];

/** Visits every schema in the document with a readable location, once per object. */
function walkSchemas(
  node: Json,
  at: string,
  visit: (schema: JsonObject, at: string) => void,
  seen = new Set<object>(),
) {
  if (!node || typeof node !== "object") return;
  if (seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) walkSchemas(n, `${at}/${i}`, visit, seen);
    return;
  }
  if (node.properties && typeof node.properties === "object") visit(node, at);
  for (const [k, v] of Object.entries(node))
    if (k !== "examples" && k !== "example") walkSchemas(v, `${at}/${k}`, visit, seen);
}

describe("conventions of the marketing document", () => {
  let doc: JsonObject;
  beforeAll(() => {
    doc = bundleDocument();
  }, 60_000);

  it("gives every operation a verb-first camelCase operationId, one area tag, an English and Chinese summary and a description", () => {
    const problems = listOperations(doc).flatMap(({ method, path, operation: op }) => {
      const where = `${method} ${path}`;
      const out: string[] = [];
      if (!VERBS.test(String(op.operationId)))
        out.push(`${where}: operationId ${String(op.operationId)}`);
      const tags = (op.tags ?? []) as string[];
      if (tags.length !== 1 || !AREA_TAGS.includes(tags[0] ?? ""))
        out.push(`${where}: tags ${tags.join(",")}`);
      if (!/^[A-Z][^\u4e00-\u9fff]+ \([^)]*[\u4e00-\u9fff][^)]*\)$/.test(String(op.summary)))
        out.push(`${where}: summary`);
      if (typeof op["x-official-name"] !== "string") out.push(`${where}: x-official-name`);
      if (String(op.description ?? "").length < 40) out.push(`${where}: description`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it("documents a 2xx answer with an example and every common error status", () => {
    const problems = listOperations(doc).flatMap(({ method, path, operation: op }) => {
      const where = `${method} ${path}`;
      const responses = (op.responses ?? {}) as JsonObject;
      const out = ERROR_STATUSES.filter((s) => !responses[s]).map((s) => `${where}: no ${s}`);
      const ok = Object.entries(responses).find(([s]) => s.startsWith("2"));
      if (!ok) return [...out, `${where}: no 2xx`];
      const content = resolveRef<JsonObject>(doc, ok[1]).content as JsonObject | undefined;
      if (ok[0] !== "204") {
        const media = Object.values(content ?? {})[0] as JsonObject | undefined;
        if (!media?.examples && media?.example === undefined)
          out.push(`${where}: no ${ok[0]} example`);
      }
      return out;
    });
    expect(problems).toEqual([]);
  });

  it("gives every request body an example", () => {
    const missing = listOperations(doc)
      .filter(({ operation }) => operation.requestBody)
      .filter(({ operation }) => {
        const body = resolveRef<JsonObject>(doc, operation.requestBody);
        return Object.values((body.content ?? {}) as JsonObject).some(
          (m) => !(m as JsonObject).examples && (m as JsonObject).example === undefined,
        );
      })
      .map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
  });

  it("describes every property of every schema", () => {
    const undocumented: string[] = [];
    walkSchemas(doc, "#", (schema, at) => {
      for (const [name, prop] of Object.entries(schema.properties as JsonObject)) {
        // `false`: a property the variant forbids, which its own description says (e.g. "the
        // other two rules are not allowed"); a boolean schema has no description of its own.
        if (prop === false) continue;
        const p = prop as JsonObject;
        const described =
          typeof p.description === "string" ||
          typeof resolveRef<JsonObject>(doc, p).description === "string";
        if (!described) undocumented.push(`${at}/properties/${name}`);
      }
    });
    expect(undocumented).toEqual([]);
  });

  it("writes every conditional rule as a discriminated oneOf whose mapping agrees with the variants' tags", () => {
    const problems: string[] = [];
    const unions: string[] = [];
    const visit = (node: Json, at: string) => {
      if (!node || typeof node !== "object" || Array.isArray(node)) return;
      if (Array.isArray(node.oneOf)) {
        unions.push(at);
        const discriminator = node.discriminator as JsonObject | undefined;
        const tag = discriminator?.propertyName;
        const mapping = (discriminator?.mapping ?? {}) as Record<string, string>;
        if (typeof tag !== "string") problems.push(`${at}: a oneOf without a discriminator`);
        if (node.type !== "object") problems.push(`${at}: a union of objects says type: object`);
        if (Object.keys(mapping).length === 0) problems.push(`${at}: no explicit mapping`);
        const variants = (node.oneOf as JsonObject[]).map((v) => String(v.$ref));
        for (const target of new Set(Object.values(mapping)))
          if (!variants.includes(target))
            problems.push(`${at}: mapping names ${target}, not a variant`);
        for (const variant of variants) {
          const schema = resolveRef<JsonObject>(doc, { $ref: variant });
          const property = ((schema.properties ?? {}) as JsonObject)[String(tag)] as JsonObject;
          const values =
            property?.const !== undefined ? [property.const] : ((property?.enum ?? []) as Json[]);
          const mapped = Object.entries(mapping)
            .filter(([, t]) => t === variant)
            .map(([v]) => v);
          if (JSON.stringify([...values].sort()) !== JSON.stringify(mapped.sort()))
            problems.push(
              `${at}: ${variant} tags ${tag} with ${values}, the mapping with ${mapped}`,
            );
          if (!((schema.required ?? []) as string[]).includes(String(tag)))
            problems.push(`${at}: ${variant} does not require ${tag}`);
        }
      }
      for (const [k, v] of Object.entries(node))
        if (k !== "examples" && k !== "example") visit(v, `${at}/${k}`);
    };
    visit(doc.components as Json, "#/components");
    expect(problems).toEqual([]);
    // The five rules of issue 14, and no fewer.
    expect(unions.length).toBeGreaterThanOrEqual(6);
  });

  it("closes every request body: a field the document does not name is refused", () => {
    const open = listOperations(doc).flatMap(({ method, path, operation }) => {
      const body = resolveRef<JsonObject | undefined>(doc, operation.requestBody);
      const json = ((body?.content ?? {}) as JsonObject)["application/json"] as
        | JsonObject
        | undefined;
      if (!json) return [];
      const schema = resolveRef<JsonObject>(doc, json.schema);
      const closed = (s: JsonObject) =>
        s.additionalProperties === false || s.unevaluatedProperties === false;
      const variants = ((schema.oneOf ?? []) as Json[]).map((v) => resolveRef<JsonObject>(doc, v));
      const ok = variants.length > 0 ? variants.every(closed) : closed(schema);
      return ok ? [] : [`${method} ${path}`];
    });
    expect(open).toEqual([]);
  });

  it("describes the COUPON.SEND and COUPON.USE notifications and what every webhook's resource decrypts to", () => {
    const list = webhooks(doc as unknown as OpenApiDocument);
    expect(list.map((w) => w.eventType)).toEqual(
      expect.arrayContaining(["COUPON.SEND", "COUPON.USE"]),
    );
    const schemas = ((doc.components ?? {}) as JsonObject).schemas as JsonObject;
    for (const { eventType, notification } of list) {
      expect(schemas[notification.resourceSchema], eventType).toBeDefined();
      expect(schemas[notification.envelopeSchema], eventType).toBeDefined();
    }
  });
});
