import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  bundleDocument,
  type Json,
  type JsonObject,
  listOperations,
  resolveRef,
  sharedReferenceFile,
  specsDir,
} from "./bundle.js";

interface RefSchema {
  type?: string;
  required?: string[];
  properties?: Record<string, RefSchema>;
  items?: RefSchema;
  enum?: string[];
}
interface RefParam {
  in: string;
  name: string;
  type: string;
  required: boolean;
  enum?: string[];
}
interface RefOperation {
  area: string;
  inSeeds: boolean;
  method: string;
  path: string;
  /** Set on notifications (the `webhooks` of the reference), whose `path` is null. */
  eventType?: string;
  params: RefParam[];
  requestBody: RefSchema | null;
  responseBody: RefSchema | null;
}
interface Difference {
  /** `METHOD /path`, or `webhook EVENT.TYPE` for a notification. */
  operation: string;
  field: string;
  reason: string;
  /** The reference file the entry is about; marketing-operations.json when absent. */
  reference?: string;
}

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Flattens a schema into `field -> facts`, following `$ref` and `allOf` inside the bundled document. */
function specFields(
  doc: JsonObject,
  node: Json | undefined,
  prefix: string,
  out: Map<string, string>,
  depth = 0,
) {
  const schema = resolveRef<JsonObject | undefined>(doc, node);
  if (!schema || depth > 12) return;
  const parts = [
    schema,
    ...((schema.allOf ?? []) as Json[]).map((s) => resolveRef<JsonObject>(doc, s)),
  ];
  const type = parts.map((p) => p.type).find((t) => typeof t === "string") as string | undefined;
  if (type === "array") return specFields(doc, schema.items, `${prefix}[]`, out, depth + 1);
  const required = new Set(parts.flatMap((p) => (p.required ?? []) as string[]));
  for (const part of parts) {
    for (const [name, child] of Object.entries((part.properties ?? {}) as JsonObject)) {
      const c = resolveRef<JsonObject>(doc, child);
      const cParts = [c, ...((c.allOf ?? []) as Json[]).map((s) => resolveRef<JsonObject>(doc, s))];
      const childType = cParts.map((p) => p.type).find((t) => typeof t === "string") ?? "object";
      const childEnum = cParts.map((p) => p.enum).find(Array.isArray) as string[] | undefined;
      const path = `${prefix}.${name}`;
      out.set(path, facts(String(childType), required.has(name), childEnum));
      specFields(doc, child, path, out, depth + 1);
    }
  }
}

function referenceFields(
  schema: RefSchema | null | undefined,
  prefix: string,
  out: Map<string, string>,
) {
  if (!schema) return;
  if (schema.type === "array") return referenceFields(schema.items, `${prefix}[]`, out);
  const required = new Set(schema.required ?? []);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    out.set(`${prefix}.${name}`, facts(child.type ?? "object", required.has(name), child.enum));
    referenceFields(child, `${prefix}.${name}`, out);
  }
}

/** The reference (from Swagger 2.0) calls many fen amounts and counts `number`; `integer` is the exact type. */
const sameFacts = (spec: string, reference: string) =>
  spec === reference || spec === reference.replace(/^number/, "integer");

const facts = (type: string, required: boolean, values?: string[]) =>
  `${type}${required ? " required" : ""}${values ? ` enum(${[...values].sort().join("|")})` : ""}`;

function specParameters(doc: JsonObject, operation: JsonObject, out: Map<string, string>) {
  for (const p of (operation.parameters ?? []) as Json[]) {
    const param = resolveRef<JsonObject>(doc, p);
    if (param.in === "header") continue;
    const schema = resolveRef<JsonObject>(
      doc,
      param.schema ??
        (Object.values((param.content ?? {}) as JsonObject)[0] as JsonObject | undefined)?.schema,
    );
    // JSON-in-query parameters are objects on the wire as strings: the reference calls them strings.
    const type = param.content ? "string" : String(schema?.type ?? "object");
    out.set(
      `${param.in}.${param.name}`,
      facts(type, param.required === true, schema?.enum as string[] | undefined),
    );
  }
}

function compare(doc: JsonObject, ref: RefOperation, operation: JsonObject): string[] {
  const want = new Map<string, string>();
  const have = new Map<string, string>();
  for (const p of ref.params)
    if (p.in !== "header") want.set(`${p.in}.${p.name}`, facts(p.type, p.required, p.enum));
  specParameters(doc, operation, have);
  referenceFields(ref.requestBody, "body", want);
  const requestBody = resolveRef<JsonObject | undefined>(doc, operation.requestBody);
  const media = Object.values((requestBody?.content ?? {}) as JsonObject)[0] as
    | JsonObject
    | undefined;
  specFields(doc, media?.schema, "body", have);
  referenceFields(ref.responseBody, "response", want);
  const ok = Object.entries((operation.responses ?? {}) as JsonObject).find(([s]) =>
    s.startsWith("2"),
  );
  const okMedia = Object.values(
    (resolveRef<JsonObject>(doc, ok?.[1])?.content ?? {}) as JsonObject,
  )[0] as JsonObject | undefined;
  specFields(doc, okMedia?.schema, "response", have);
  return [...want].flatMap(([field, expected]) => {
    const actual = have.get(field);
    if (actual === undefined) return [`${field}: missing (reference: ${expected})`];
    return sameFacts(actual, expected) ? [] : [`${field}: spec ${actual}, reference ${expected}`];
  });
}

/** A reference file, the spec operations it speaks for, and its entries in reference-differences.yaml. */
interface ReferenceScope {
  file: string;
  /** Which spec operations (by path) the reference must describe, so that none is invented. */
  covers: (path: string) => boolean;
}

const isFavorPath = (path: string) =>
  path.startsWith("/v3/marketing/favor/") && !path.startsWith("/v3/marketing/favor/media/");

const SCOPES: ReferenceScope[] = [
  // The three product areas and the marketing image upload (which lives under /favor/media/).
  { file: "marketing-operations.json", covers: (path) => !isFavorPath(path) },
  // The cash coupons (代金券) and their COUPON.USE notification.
  { file: "favor-operations.json", covers: isFavorPath },
];

/** Spec operations and webhooks, as `METHOD /path` and `webhook EVENT.TYPE` keys. */
function specEntries(doc: JsonObject): { key: string; path: string; operation: JsonObject }[] {
  const operations = listOperations(doc).map(({ method, path, operation }) => ({
    key: key(method, path),
    path,
    operation,
  }));
  const webhooks = Object.entries((doc.webhooks ?? {}) as Record<string, JsonObject>).flatMap(
    ([event, item]) =>
      item.post ? [{ key: `webhook ${event}`, path: "", operation: item.post as JsonObject }] : [],
  );
  return [...operations, ...webhooks];
}

const referenceKey = (r: RefOperation) =>
  r.eventType ? `webhook ${r.eventType}` : key(r.method, r.path);

for (const scope of SCOPES) {
  const path = sharedReferenceFile(scope.file);
  describe.skipIf(!existsSync(path))(
    `coverage of ${scope.file} (needs ../shared beside the clone)`,
    () => {
      let doc: JsonObject;
      let reference: RefOperation[];
      let webhookEvents: Set<string>;
      let differences: Difference[];

      beforeAll(() => {
        doc = bundleDocument();
        const json = JSON.parse(readFileSync(path, "utf8")) as {
          operations: RefOperation[];
          webhooks?: RefOperation[];
        };
        reference = [...json.operations, ...(json.webhooks ?? [])];
        webhookEvents = new Set((json.webhooks ?? []).map((w) => `webhook ${w.eventType}`));
        differences = (
          (parse(readFileSync(join(specsDir, "reference-differences.yaml"), "utf8")) ??
            []) as Difference[]
        ).filter((d) => (d.reference ?? "marketing-operations.json") === scope.file);
      }, 60_000);

      const inScope = () =>
        specEntries(doc).filter((e) => (e.path ? scope.covers(e.path) : webhookEvents.has(e.key)));

      it("covers every operation of the reference, and invents none in its area", () => {
        const specKeys = specEntries(doc).map((e) => e.key);
        const required = reference.map(referenceKey).sort();
        const known = new Set(required);
        expect(required.filter((k) => !specKeys.includes(k))).toEqual([]);
        expect(
          inScope()
            .map((e) => e.key)
            .filter((k) => !known.has(k)),
        ).toEqual([]);
      });

      const live = () =>
        inScope().flatMap(({ key: k, operation }) => {
          const ref = reference.find((r) => referenceKey(r) === k);
          return ref ? compare(doc, ref, operation).map((line) => ({ key: k, line })) : [];
        });

      it("matches the reference's fields, required flags, types and enums, except for the listed differences", () => {
        const listed = new Set(differences.map((d) => `${d.operation} ${d.field}`));
        const unexplained = live()
          .filter(({ key: k, line }) => !listed.has(`${k} ${line.split(":")[0]}`))
          .map(({ key: k, line }) => `${k} ${line}`);
        expect(unexplained).toEqual([]);
      });

      it("explains every listed difference and lists none that no longer exists", () => {
        for (const d of differences)
          expect(d.reason.length, `${d.operation} ${d.field}`).toBeGreaterThan(10);
        const current = new Set(live().map(({ key: k, line }) => `${k} ${line.split(":")[0]}`));
        expect(
          differences.map((d) => `${d.operation} ${d.field}`).filter((d) => !current.has(d)),
        ).toEqual([]);
      });
    },
  );
}
