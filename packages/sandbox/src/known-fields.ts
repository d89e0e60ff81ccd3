/**
 * Request values reach business handlers as copies holding only what the document declares:
 * a key the schema does not name is dropped (mass assignment), and `__proto__`, `constructor`
 * and `prototype` are dropped whatever the schema says, so no request key can ever become an
 * object's prototype or shadow one of its methods, however a handler later copies the value.
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

export type CopyKnownFields = (value: unknown) => unknown;

/**
 * Compiles a copier for one schema of the document (`$ref`s resolved with `resolve`). The
 * result is a plain JSON value: ordinary objects and arrays, own data properties only.
 */
export function compileKnownFields(
  schema: unknown,
  resolve: (ref: string) => unknown,
): CopyKnownFields {
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
    for (const key of [...COMBINATORS, "then", "else"]) {
      const sub = current[key];
      if (Array.isArray(sub)) for (const s of sub) out.push(...branches(s, seen));
      else if (sub && typeof sub === "object") out.push(...branches(sub, seen));
    }
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

  const copy = (value: unknown, schemas: Schema[]): unknown => {
    if (Array.isArray(value)) {
      const items = itemSchemas(schemas);
      return value.map((item) => copy(item, items));
    }
    if (value === null || typeof value !== "object") return value;
    const shape =
      schemas.length === 0 ? { properties: new Map(), others: "any" as const } : shapeOf(schemas);
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) continue;
      const declared = shape.properties.get(key);
      if (declared) entries.push([key, copy(item, declared)]);
      else if (shape.others === "any") entries.push([key, copy(item, [])]);
      else if (shape.others.length > 0) entries.push([key, copy(item, shape.others)]);
    }
    // fromEntries defines own data properties: a key is never run through a setter.
    return Object.fromEntries(entries);
  };

  return (value) => copy(value, [schema as Schema]);
}
