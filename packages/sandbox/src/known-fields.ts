/**
 * Request values reach business handlers as copies holding only what the document declares:
 * a key the schema does not name is dropped (mass assignment), and `__proto__`, `constructor`
 * and `prototype` are dropped whatever the schema says, so no request key can ever become an
 * object's prototype or shadow one of its methods, however a handler later copies the value.
 * The same walk finds the first key the copy would drop, so that the sandbox can refuse a
 * request with a misspelt field instead of acting as if the field had not been sent.
 */

type Schema = Record<string, unknown>;

/** Keys that are never copied from a request. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

/** What an object schema lets through: named properties, and the schema of any other key. */
interface ObjectShape {
  properties: Map<string, Schema[]>;
  /** Schemas for keys not in `properties`; "any" when the schema constrains no key at all. */
  others: Schema[] | "any";
}

const COMBINATORS = ["allOf", "anyOf", "oneOf"] as const;

export interface KnownFields {
  /** A plain JSON copy (ordinary objects and arrays, own data properties) of the known fields. */
  copy(value: unknown): unknown;
  /** The JSON pointer (`/a/0/b`) of the first key `copy` would drop, if any. */
  firstUnknown(value: unknown): string | undefined;
}

/** Escapes a key for a JSON pointer (RFC 6901). */
const pointerSegment = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");

/** Compiles the known fields of one schema of the document (`$ref`s resolved with `resolve`). */
export function compileKnownFields(
  schema: unknown,
  resolve: (ref: string) => unknown,
): KnownFields {
  const shapes = new Map<Schema, ObjectShape>();

  /** The schema with `$ref`s followed, and every branch it combines, flattened. */
  const branches = (node: unknown, seen = new Set<Schema>()): Schema[] => {
    let current = node as Schema | undefined;
    for (let hops = 0; current && typeof current.$ref === "string" && hops < 32; hops++) {
      current = resolve(current.$ref) as Schema | undefined;
    }
    if (!current || typeof current !== "object" || seen.has(current)) return [];
    seen.add(current);
    const out = [current];
    // Every branch a value may be checked against: the variants of a oneOf (whichever the
    // discriminator picks), both outcomes of an if (and the names the if tests), the schemas a
    // present property brings in.
    for (const key of [...COMBINATORS, "if", "then", "else"]) {
      const sub = current[key];
      if (Array.isArray(sub)) for (const s of sub) out.push(...branches(s, seen));
      else if (sub && typeof sub === "object") out.push(...branches(sub, seen));
    }
    const dependent = current.dependentSchemas;
    if (dependent && typeof dependent === "object")
      for (const s of Object.values(dependent)) out.push(...branches(s, seen));
    return out;
  };

  const shapeOf = (schemas: Schema[]): ObjectShape => {
    const cached = schemas.length === 1 ? shapes.get(schemas[0] as Schema) : undefined;
    if (cached) return cached;
    const properties = new Map<string, Schema[]>();
    const others: Schema[] = [];
    let constrained = false;
    for (const root of schemas) {
      for (const branch of branches(root)) {
        const declared = branch.properties as Record<string, Schema> | undefined;
        if (declared && typeof declared === "object") {
          constrained = true;
          for (const [name, sub] of Object.entries(declared)) {
            properties.set(name, [...(properties.get(name) ?? []), sub]);
          }
        }
        const extra = branch.additionalProperties;
        if (extra === false) constrained = true;
        else if (extra && typeof extra === "object") {
          constrained = true;
          others.push(extra as Schema);
        } else if (extra === true) {
          constrained = true;
          others.push({});
        }
        const patterns = branch.patternProperties as Record<string, Schema> | undefined;
        if (patterns && typeof patterns === "object") {
          constrained = true;
          others.push(...Object.values(patterns));
        }
      }
    }
    const shape: ObjectShape = { properties, others: constrained ? others : "any" };
    if (schemas.length === 1) shapes.set(schemas[0] as Schema, shape);
    return shape;
  };

  const itemSchemas = (schemas: Schema[]): Schema[] =>
    schemas.flatMap((root) =>
      branches(root).flatMap((b) => {
        const items = b.items;
        const prefix = Array.isArray(b.prefixItems) ? (b.prefixItems as Schema[]) : [];
        return [...prefix, ...(items && typeof items === "object" ? [items as Schema] : [])];
      }),
    );

  /** The schemas a key's value is copied by, or undefined when the key is dropped. */
  const schemasOfKey = (shape: ObjectShape, key: string): Schema[] | undefined => {
    if (FORBIDDEN_KEYS.has(key)) return undefined;
    const declared = shape.properties.get(key);
    if (declared) return declared;
    if (shape.others === "any") return [];
    return shape.others.length > 0 ? shape.others : undefined;
  };
  const shapeFor = (schemas: Schema[]): ObjectShape =>
    schemas.length === 0 ? { properties: new Map(), others: "any" } : shapeOf(schemas);

  const copy = (value: unknown, schemas: Schema[]): unknown => {
    if (Array.isArray(value)) {
      const items = itemSchemas(schemas);
      return value.map((item) => copy(item, items));
    }
    if (value === null || typeof value !== "object") return value;
    const shape = shapeFor(schemas);
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      const kept = schemasOfKey(shape, key);
      if (kept) entries.push([key, copy(item, kept)]);
    }
    // fromEntries defines own data properties: a key is never run through a setter.
    return Object.fromEntries(entries);
  };

  const firstUnknown = (value: unknown, schemas: Schema[], at: string): string | undefined => {
    if (Array.isArray(value)) {
      const items = itemSchemas(schemas);
      for (const [index, item] of value.entries()) {
        const found = firstUnknown(item, items, `${at}/${index}`);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (value === null || typeof value !== "object") return undefined;
    const shape = shapeFor(schemas);
    for (const [key, item] of Object.entries(value)) {
      const kept = schemasOfKey(shape, key);
      const here = `${at}/${pointerSegment(key)}`;
      if (!kept) return here;
      const found = firstUnknown(item, kept, here);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const root = [schema as Schema];
  return {
    copy: (value) => copy(value, root),
    firstUnknown: (value) => firstUnknown(value, root, ""),
  };
}
