// Flattens the fields of one operation into comparable facts, for the document and for a reference
// file (../shared/reference/*-operations.json), so that test/coverage.test.ts can compare them in
// both directions. A field is named by where it sits: `query.limit`, `path.stock_id`,
// `header.idempotency-key`, `body.coupon_use_rule.fixed_normal_coupon.discount_amount`,
// `response.data[].stock_id`; `x[]` is the item of the array `x`.
import { type Json, type JsonObject, resolveRef } from "./bundle.js";

/** What the coverage check compares, per field. */
export interface FieldFacts {
  required: boolean;
  type?: string | undefined;
  /** Sorted allowed values (`const` counts as a one-value enum). */
  enum?: string[] | undefined;
  format?: string | undefined;
  minLength?: number | undefined;
  maxLength?: number | undefined;
  minimum?: number | undefined;
  maximum?: number | undefined;
  minItems?: number | undefined;
  maxItems?: number | undefined;
  /**
   * Document side: the schema slot that declares the field (`BusifavorFixedNormalCoupon.discount_amount`,
   * the same slot wherever that object is reused) and, for a property that is only a reference, the
   * component it names (`DateTime`).
   */
  origins?: string[] | undefined;
}

export type FieldMap = Map<string, FieldFacts>;

/** The kinds of difference, in the order the registry and the report list them. */
export const KINDS = [
  "missing",
  "extra",
  "required",
  "type",
  "enum",
  "format",
  "length",
  "range",
  "items",
] as const;
export type Kind = (typeof KINDS)[number];

/** The kinds a reference states only now and then: its silence is not a statement. */
export const CONSTRAINT_KINDS = ["format", "length", "range", "items"] as const;
export type ConstraintKind = (typeof CONSTRAINT_KINDS)[number];

export interface FieldDifference {
  field: string;
  kind: Kind;
  spec: string;
  reference: string;
}

const BOUNDS = ["minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"] as const;
const KIND_KEYS: Record<ConstraintKind, readonly (keyof FieldFacts)[]> = {
  format: ["format"],
  length: ["minLength", "maxLength"],
  range: ["minimum", "maximum"],
  items: ["minItems", "maxItems"],
};

const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

// --- the reference ------------------------------------------------------------------------------

export interface RefSchema {
  type?: string;
  format?: string;
  required?: string[] | boolean;
  properties?: Record<string, RefSchema>;
  items?: RefSchema;
  enum?: (string | number)[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}
export interface RefParam extends RefSchema {
  in: string;
  name: string;
  required: boolean;
}
export interface RefOperation {
  method: string | null;
  path: string | null;
  /** Set on notifications (the `webhooks` of a reference file), whose `path` is null. */
  eventType?: string;
  params: RefParam[];
  requestBody: RefSchema | null;
  responseBody: RefSchema | null;
}

/**
 * The reference was extracted from Swagger 2.0 with community format names; these are the JSON
 * Schema formats the document uses for the same thing.
 */
const REFERENCE_FORMATS: Record<string, string> = { rfc3339: "date-time", MediaUrl: "uri" };

function referenceFacts(schema: RefSchema, required: boolean): FieldFacts {
  const facts: FieldFacts = { required, type: schema.type ?? "object" };
  if (schema.enum) facts.enum = schema.enum.map(String).sort();
  if (schema.format) facts.format = REFERENCE_FORMATS[schema.format] ?? schema.format;
  for (const key of BOUNDS) if (typeof schema[key] === "number") facts[key] = schema[key];
  return facts;
}

function referenceTree(schema: RefSchema | null | undefined, prefix: string, out: FieldMap) {
  if (!schema) return;
  if (schema.type === "array" && schema.items) {
    out.set(`${prefix}[]`, referenceFacts(schema.items, false));
    referenceTree(schema.items, `${prefix}[]`, out);
    return;
  }
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    out.set(`${prefix}.${name}`, referenceFacts(child, required.has(name)));
    referenceTree(child, `${prefix}.${name}`, out);
  }
}

/** Header names are case-insensitive; Swagger 2.0 `formData` is an OpenAPI 3 multipart body. */
const parameterName = (location: string, name: string) =>
  location === "header" ? `header.${name.toLowerCase()}` : `${location}.${name}`;

export function referenceFields(operation: RefOperation): FieldMap {
  const out: FieldMap = new Map();
  for (const p of operation.params) {
    const location = p.in === "formData" ? "body" : p.in;
    // Swagger 2.0 calls an uploaded file `type: file`; OpenAPI 3.1 says `string` + `binary`.
    const schema: RefSchema = p.type === "file" ? { ...p, type: "string", format: "binary" } : p;
    out.set(parameterName(location, p.name), referenceFacts(schema, p.required));
  }
  referenceTree(operation.requestBody, "body", out);
  referenceTree(operation.responseBody, "response", out);
  return out;
}

// --- the document -------------------------------------------------------------------------------

/** A schema's own facts and the facts of everything below it, by relative path (`.a`, `[]`, …). */
interface Flat {
  self: Omit<FieldFacts, "required">;
  fields: FieldMap;
  /** Relative paths a `false` schema forbids in this branch. */
  forbidden: Set<string>;
}

const empty = (): Flat => ({ self: {}, fields: new Map(), forbidden: new Set() });

const clean = <T extends object>(facts: T): T => {
  for (const [key, value] of Object.entries(facts))
    if (value === undefined) delete (facts as Record<string, unknown>)[key];
  return facts;
};

/** Both hold (allOf, or a schema and its overlay). */
function meetFacts(a: Partial<FieldFacts>, b: Partial<FieldFacts>): FieldFacts {
  const out: FieldFacts = { ...a, ...b, required: Boolean(a.required || b.required) };
  out.type = a.type === "number" && b.type === "integer" ? "integer" : (a.type ?? b.type);
  out.enum = a.enum && b.enum ? a.enum.filter((v) => b.enum?.includes(v)) : (a.enum ?? b.enum);
  out.format = a.format ?? b.format;
  out.origins = a.origins ?? b.origins;
  for (const key of BOUNDS) {
    const values = [a[key], b[key]].filter((v): v is number => typeof v === "number");
    out[key] =
      values.length === 0
        ? undefined
        : key.startsWith("min")
          ? Math.max(...values)
          : Math.min(...values);
  }
  return clean(out);
}

/** One of them holds (oneOf/anyOf branches): the looser facts; absent in one branch, optional. */
function joinFacts(a: FieldFacts, b: FieldFacts): FieldFacts {
  const out: FieldFacts = { required: a.required && b.required, origins: a.origins ?? b.origins };
  if (a.type === b.type) out.type = a.type;
  else if (a.type && b.type) out.type = [a.type, b.type].sort().join("|");
  if (a.enum && b.enum) out.enum = [...new Set([...a.enum, ...b.enum])].sort();
  if (a.format && a.format === b.format) out.format = a.format;
  for (const key of BOUNDS) {
    const x = a[key];
    const y = b[key];
    if (typeof x === "number" && typeof y === "number")
      out[key] = key.startsWith("min") ? Math.min(x, y) : Math.max(x, y);
  }
  return clean(out);
}

const under = (path: string, root: string) =>
  path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`);

function meet(a: Flat, b: Flat): Flat {
  const fields: FieldMap = new Map(a.fields);
  for (const [path, facts] of b.fields) {
    const known = fields.get(path);
    fields.set(path, known ? meetFacts(known, facts) : facts);
  }
  const forbidden = new Set([...a.forbidden, ...b.forbidden]);
  for (const path of fields.keys())
    if ([...forbidden].some((root) => under(path, root))) fields.delete(path);
  return { self: meetFacts(a.self, b.self), fields, forbidden };
}

/** `.a.b` → `.a`, `.a[]` → `.a`, `.a` → `` (the root, present in every branch). */
const parentOf = (path: string) => path.replace(/(\[\]|\.[^.[]+)$/, "");

function join(branches: Flat[]): Flat {
  const [first, ...rest] = branches;
  if (!first) return empty();
  return rest.reduce((a, b) => {
    const fields: FieldMap = new Map();
    const has = (flat: Flat, path: string) => path === "" || flat.fields.has(path);
    for (const path of new Set([...a.fields.keys(), ...b.fields.keys()])) {
      const x = a.fields.get(path);
      const y = b.fields.get(path);
      const only = (x ?? y) as FieldFacts;
      // Absent from a branch that has its parent: not required. Absent with its parent: as declared.
      const optional = has(x ? b : a, parentOf(path));
      fields.set(path, x && y ? joinFacts(x, y) : optional ? { ...only, required: false } : only);
    }
    const { required: _, ...self } = joinFacts(
      { ...a.self, required: false },
      { ...b.self, required: false },
    );
    return { self, fields, forbidden: new Set<string>() };
  }, first);
}

function ownFacts(schema: JsonObject): Omit<FieldFacts, "required"> {
  const facts: Omit<FieldFacts, "required"> = {};
  if (typeof schema.type === "string") facts.type = schema.type;
  else if (isObject(schema.properties)) facts.type = "object";
  if (schema.const !== undefined) facts.enum = [String(schema.const)];
  else if (Array.isArray(schema.enum)) facts.enum = schema.enum.map(String).sort();
  if (typeof schema.format === "string") facts.format = schema.format;
  for (const key of BOUNDS) if (typeof schema[key] === "number") facts[key] = schema[key] as number;
  return facts;
}

const COMPONENT = /^#\/components\/schemas\/([^/]+)$/;
const ANNOTATIONS = new Set(["$ref", "description", "title", "examples", "example", "deprecated"]);

/** The component a schema only refers to (annotations aside), e.g. `DateTime`. */
function bareComponent(node: Json | undefined): string | undefined {
  if (!isObject(node) || typeof node.$ref !== "string") return undefined;
  if (Object.keys(node).some((key) => !ANNOTATIONS.has(key))) return undefined;
  return node.$ref.match(COMPONENT)?.[1];
}

/**
 * Flattens one schema of the bundled document: `$ref` followed, `allOf` parts all applied,
 * `oneOf`/`anyOf` (and `then`/`else`) branches joined, a `false` property schema removing the
 * field from its branch. `origin` names the schema slot the node sits in.
 */
function flatten(doc: JsonObject, node: Json | undefined, origin: string, depth = 0): Flat {
  if (node === false) return { ...empty(), forbidden: new Set([""]) };
  const ref = isObject(node) && typeof node.$ref === "string" ? node.$ref : undefined;
  // OpenAPI 3.1 applies the keywords beside a `$ref` too (e.g. `$ref: Amount` with `minimum: 1`).
  if (ref && isObject(node) && Object.keys(node).length > 1) {
    const { $ref: _, ...beside } = node;
    return meet(
      flatten(doc, { $ref: ref }, origin, depth + 1),
      flatten(doc, beside, origin, depth + 1),
    );
  }
  const here = ref?.match(COMPONENT)?.[1] ?? origin;
  const schema = resolveRef<Json | undefined>(doc, node);
  if (!isObject(schema) || depth > 16) return empty();
  let flat: Flat = { self: ownFacts(schema), fields: new Map(), forbidden: new Set() };
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [name, child] of Object.entries(properties)) {
    if (child === false) {
      flat.forbidden.add(`.${name}`);
      continue;
    }
    const slot = `${here}.${name}`;
    const sub = flatten(doc, child, slot, depth + 1);
    const leaf = bareComponent(child);
    const origins = leaf ? [slot, leaf] : [slot];
    flat.fields.set(`.${name}`, { ...sub.self, required: required.has(name), origins });
    for (const [path, facts] of sub.fields) flat.fields.set(`.${name}${path}`, facts);
  }
  // A `required` naming a property another part declares (an allOf overlay) still counts.
  for (const name of required)
    if (!flat.fields.has(`.${name}`)) flat.fields.set(`.${name}`, { required: true });
  if (schema.items !== undefined) {
    const item = flatten(doc, schema.items, `${here}[]`, depth + 1);
    const leaf = bareComponent(schema.items);
    const origins = leaf ? [`${here}[]`, leaf] : [`${here}[]`];
    flat.fields.set("[]", { ...item.self, required: false, origins });
    for (const [path, facts] of item.fields) flat.fields.set(`[]${path}`, facts);
  }
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : [])
    flat = meet(flat, flatten(doc, part, here, depth + 1));
  const alternatives = [
    ...(Array.isArray(schema.oneOf) ? schema.oneOf : []),
    ...(Array.isArray(schema.anyOf) ? schema.anyOf : []),
  ];
  if (alternatives.length > 0) {
    const base = flat;
    flat = join(alternatives.map((branch) => meet(base, flatten(doc, branch, here, depth + 1))));
  }
  const conditional = [schema.then, schema.else].filter((s): s is Json => s !== undefined);
  if (conditional.length > 0) {
    const base = flat;
    flat = join([base, ...conditional.map((b) => meet(base, flatten(doc, b, here, depth + 1)))]);
  }
  return flat;
}

/** An overlay's `required` that never met a declaration is not a field. */
const declared = (facts: FieldFacts) => facts.type !== undefined || facts.enum !== undefined;

/** The media type object of a request body or response, whatever its media type. */
function mediaOf(doc: JsonObject, holder: Json | undefined): JsonObject | undefined {
  const resolved = resolveRef<JsonObject | undefined>(doc, holder);
  const content = isObject(resolved?.content) ? resolved.content : undefined;
  const first = content ? Object.values(content)[0] : undefined;
  return isObject(first) ? first : undefined;
}

/** Multipart parts the body's `encoding` sends as JSON text (e.g. `meta` of the image upload). */
function jsonParts(media: JsonObject): Set<string> {
  const encoding = isObject(media.encoding) ? media.encoding : {};
  return new Set(
    Object.entries(encoding)
      .filter(([, e]) => isObject(e) && e.contentType === "application/json")
      .map(([name]) => name),
  );
}

/**
 * The fields of one operation (or webhook) of the bundled document. Values sent as JSON text (a
 * parameter with `content: application/json`, a multipart part with `contentType:
 * application/json`) are one string on the wire, which is how the reference names them; what the
 * JSON holds is not a field of its own.
 */
export function specFields(
  doc: JsonObject,
  key: string,
  operation: JsonObject,
  pathItem?: JsonObject,
): FieldMap {
  const out: FieldMap = new Map();
  const parameters = [
    ...(Array.isArray(pathItem?.parameters) ? pathItem.parameters : []),
    ...(Array.isArray(operation.parameters) ? operation.parameters : []),
  ];
  for (const raw of parameters) {
    const p = resolveRef<JsonObject>(doc, raw);
    const name = parameterName(String(p.in), String(p.name));
    const origins = [`${key} ${name}`, ...[bareComponent(p.schema)].filter((o) => o !== undefined)];
    const required = p.required === true || p.in === "path";
    out.set(
      name,
      isObject(p.content)
        ? { required, type: "string", origins }
        : { ...flatten(doc, p.schema, origins[0] as string).self, required, origins },
    );
  }
  const body = mediaOf(doc, operation.requestBody);
  if (body?.schema !== undefined) {
    const asText = jsonParts(body);
    for (const [path, facts] of flatten(doc, body.schema, `${key} body`).fields) {
      const part = path.match(/^\.([^.[]+)/)?.[1] ?? "";
      if (!declared(facts) || (asText.has(part) && path !== `.${part}`)) continue;
      out.set(
        `body${path}`,
        asText.has(part)
          ? { required: facts.required, type: "string", origins: facts.origins }
          : facts,
      );
    }
  }
  const responses = isObject(operation.responses) ? operation.responses : {};
  const success = Object.entries(responses).find(([status]) => status.startsWith("2"));
  const answer = mediaOf(doc, success?.[1]);
  if (answer?.schema !== undefined)
    for (const [path, facts] of flatten(doc, answer.schema, `${key} response`).fields)
      if (declared(facts)) out.set(`response${path}`, facts);
  return out;
}

// --- comparing ----------------------------------------------------------------------------------

/**
 * What the reference states about one schema slot of the document anywhere, per constraint kind:
 * the reference gives constraints now and then (the user-coupon answers carry ranges that the
 * create call lacks), and a slot the document shares holds one constraint wherever it is used.
 * A slot on which two statements of the reference disagree keeps none (`null`).
 */
export type StatedConstraints = Map<string, Partial<Record<ConstraintKind, string | null>>>;

const constraintOf = (facts: FieldFacts, kind: ConstraintKind): string | undefined => {
  const values = KIND_KEYS[kind].map((k) => facts[k]);
  return values.every((v) => v === undefined) ? undefined : JSON.stringify(values);
};

export function collectStated(
  pairs: Iterable<{ spec: FieldMap; reference: FieldMap }>,
): StatedConstraints {
  const stated: StatedConstraints = new Map();
  for (const { spec, reference } of pairs) {
    for (const [field, r] of reference) {
      const [slotOrigin, leaf] = spec.get(field)?.origins ?? [];
      for (const origin of [slotOrigin, leaf]) {
        if (!origin) continue;
        const slot = stated.get(origin) ?? {};
        // A leaf component (DateTime) shares its format everywhere; bounds belong to the slot.
        for (const kind of origin === leaf ? (["format"] as const) : CONSTRAINT_KINDS) {
          const value = constraintOf(r, kind);
          if (value === undefined) continue;
          slot[kind] = slot[kind] === undefined || slot[kind] === value ? value : null;
        }
        stated.set(origin, slot);
      }
    }
  }
  return stated;
}

const bounds = (min?: number, max?: number) =>
  min === undefined && max === undefined ? "none" : `${min ?? ""}..${max ?? ""}`;

export const describeFacts = (facts: FieldFacts) =>
  [
    facts.type ?? "any",
    facts.required ? "required" : "optional",
    facts.enum ? `enum(${facts.enum.join("|")})` : "",
    facts.format ? `format(${facts.format})` : "",
  ]
    .filter(Boolean)
    .join(" ");

function show(facts: FieldFacts | undefined, kind: Kind): string {
  if (!facts) return "absent";
  switch (kind) {
    case "missing":
    case "extra":
      return describeFacts(facts);
    case "required":
      return facts.required ? "required" : "optional";
    case "type":
      return facts.type ?? "any";
    case "enum":
      return facts.enum ? facts.enum.join("|") : "any";
    case "format":
      return facts.format ?? "none";
    case "length":
      return bounds(facts.minLength, facts.maxLength);
    case "range":
      return bounds(facts.minimum, facts.maximum);
    case "items":
      return bounds(facts.minItems, facts.maxItems);
  }
}

/** The reference says `number` for many fen amounts and counts; `integer` is the exact type. */
const sameType = (spec?: string, reference?: string) =>
  spec === reference || (spec === "integer" && reference === "number");

const sameList = (a?: string[], b?: string[]) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A field missing (or extra) makes its own fields missing (extra) too; the root is the difference. */
function roots(differences: FieldDifference[]): FieldDifference[] {
  const absent = differences.filter((d) => d.kind === "missing" || d.kind === "extra");
  return differences.filter(
    (d) =>
      !absent.some(
        (a) => a !== d && a.kind === d.kind && under(d.field, a.field) && d.field !== a.field,
      ),
  );
}

/**
 * Every difference between the document's and the reference's facts of one operation. Where the
 * reference is silent on a constraint at this place, what it states for the same schema slot
 * elsewhere (`stated`) is its statement here.
 */
export function compareFields(
  spec: FieldMap,
  reference: FieldMap,
  stated: StatedConstraints = new Map(),
): FieldDifference[] {
  const out: FieldDifference[] = [];
  const add = (field: string, kind: Kind, s?: FieldFacts, r?: FieldFacts) =>
    out.push({ field, kind, spec: show(s, kind), reference: show(r, kind) });
  for (const field of [...new Set([...reference.keys(), ...spec.keys()])].sort()) {
    const s = spec.get(field);
    const r = reference.get(field);
    if (!s || !r) {
      add(field, s ? "extra" : "missing", s, r);
      continue;
    }
    if (s.required !== r.required && !field.endsWith("[]")) add(field, "required", s, r);
    if (!sameType(s.type, r.type)) add(field, "type", s, r);
    if (!sameList(s.enum, r.enum)) add(field, "enum", s, r);
    for (const kind of CONSTRAINT_KINDS) {
      let said = r;
      const elsewhere = (s.origins ?? [])
        .map((origin) => stated.get(origin)?.[kind])
        .find((value) => value !== undefined);
      if (constraintOf(r, kind) === undefined && elsewhere) {
        said = { ...r };
        KIND_KEYS[kind].forEach((k, i) => {
          (said as unknown as Record<string, unknown>)[k] =
            (JSON.parse(elsewhere) as unknown[])[i] ?? undefined;
        });
      }
      if (constraintOf(s, kind) !== constraintOf(said, kind)) add(field, kind, s, said);
    }
  }
  return roots(out);
}
