import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  bundleDocument,
  hasSharedReference,
  type Json,
  type JsonObject,
  listOperations,
  resolveRef,
  sharedReferencePath,
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
  params: RefParam[];
  requestBody: RefSchema | null;
  responseBody: RefSchema | null;
}
interface Difference {
  operation: string;
  field: string;
  reason: string;
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

describe.skipIf(!hasSharedReference)(
  "coverage of marketing-operations.json (needs ../shared beside the clone)",
  () => {
    let doc: JsonObject;
    let reference: RefOperation[];
    let differences: Difference[];

    beforeAll(() => {
      doc = bundleDocument();
      reference = (
        JSON.parse(readFileSync(sharedReferencePath, "utf8")) as { operations: RefOperation[] }
      ).operations;
      differences = (parse(readFileSync(join(specsDir, "reference-differences.yaml"), "utf8")) ??
        []) as Difference[];
    }, 60_000);

    it("covers every operation of the reference (three product areas and the image upload), and invents none", () => {
      const specOps = listOperations(doc)
        .map((o) => key(o.method, o.path))
        .sort();
      const required = reference.map((o) => key(o.method, o.path)).sort();
      const known = new Set(reference.map((o) => key(o.method, o.path)));
      expect(required.filter((k) => !specOps.includes(k))).toEqual([]);
      expect(specOps.filter((k) => !known.has(k))).toEqual([]);
    });

    it("matches the reference's fields, required flags, types and enums, except for the listed differences", () => {
      const listed = new Set(differences.map((d) => `${d.operation} ${d.field}`));
      const unexplained = listOperations(doc).flatMap(({ method, path, operation }) => {
        const ref = reference.find((r) => key(r.method, r.path) === key(method, path));
        if (!ref) return [];
        return compare(doc, ref, operation)
          .filter((line) => !listed.has(`${key(method, path)} ${line.split(":")[0]}`))
          .map((line) => `${key(method, path)} ${line}`);
      });
      expect(unexplained).toEqual([]);
    });

    it("explains every listed difference and lists none that no longer exists", () => {
      for (const d of differences)
        expect(d.reason.length, `${d.operation} ${d.field}`).toBeGreaterThan(10);
      const live = new Set(
        listOperations(doc).flatMap(({ method, path, operation }) => {
          const ref = reference.find((r) => key(r.method, r.path) === key(method, path));
          return ref
            ? compare(doc, ref, operation).map((l) => `${key(method, path)} ${l.split(":")[0]}`)
            : [];
        }),
      );
      expect(
        differences.map((d) => `${d.operation} ${d.field}`).filter((d) => !live.has(d)),
      ).toEqual([]);
    });
  },
);
