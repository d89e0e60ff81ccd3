// @ts-check
// Rewrites a copy of the bundled document into the form openapi-typescript types faithfully. Each
// step fixes one thing openapi-typescript would otherwise lose or invent; none changes what goes on
// the wire, so the published document keeps its natural form (allOf overlays, plain $refs).

/** @typedef {Record<string, any>} Json */

const isObject = (/** @type {unknown} */ v) =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Follows local `#/…` references.
 * @param {Json} document
 * @param {any} node
 * @returns {any}
 */
export function resolve(document, node) {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    if (hops > 20) throw new Error(`reference loop at ${node.$ref}`);
    const ref = current.$ref;
    if (!ref.startsWith("#/")) throw new Error(`only local references are expected, got ${ref}`);
    current = ref
      .slice(2)
      .split("/")
      .reduce(
        (/** @type {any} */ at, /** @type {string} */ key) =>
          at?.[key.replace(/~1/g, "/").replace(/~0/g, "~")],
        document,
      );
    if (current === undefined) throw new Error(`unresolved reference ${ref}`);
  }
  return current;
}

/**
 * Visits every object of the document that can hold a schema, depth first (children before their
 * parent, so nested allOf are merged before the allOf around them). Example values are skipped.
 * @param {any} node
 * @param {string} at
 * @param {(node: Json, at: string) => void} visit
 */
function walk(node, at, visit) {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) walk(item, `${at}/${i}`, visit);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples" || key === "x-codeSamples") continue;
    walk(value, `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, visit);
  }
  visit(node, at);
}

/** Keywords where a later allOf part (or the schema around the allOf) simply says it better. */
const ANNOTATIONS = new Set(["description", "title", "example", "examples", "deprecated"]);

/**
 * One object schema equal to `allOf` of its parts: properties merged (a property two parts define
 * becomes the allOf of both, merged in turn), `required` united. openapi-typescript writes an allOf
 * as `A & B`, which drops a `required` that names a property of another part (`Part & unknown`) and
 * shows `&` noise on hover; the merged schema keeps every flag and every description.
 * @param {Json} document
 * @param {Json} schema
 * @param {string} at
 * @returns {Json}
 */
function mergeAllOf(document, schema, at) {
  const { allOf, ...own } = schema;
  /** @type {Json} */
  const merged = {};
  const parts = [...allOf.map((/** @type {any} */ part) => resolve(document, part)), own];
  for (const [index, raw] of parts.entries()) {
    const part = Array.isArray(raw.allOf) ? mergeAllOf(document, raw, `${at}/allOf/${index}`) : raw;
    for (const [key, value] of Object.entries(part)) {
      if (key === "properties") {
        merged.properties ??= {};
        for (const [name, property] of Object.entries(value)) {
          const known = merged.properties[name];
          merged.properties[name] =
            known === undefined
              ? property
              : mergeAllOf(document, { allOf: [known, property] }, `${at}/properties/${name}`);
        }
      } else if (key === "required") {
        merged.required = [...new Set([...(merged.required ?? []), ...value])];
      } else if (ANNOTATIONS.has(key) || !(key in merged)) {
        merged[key] = value;
      } else if (JSON.stringify(merged[key]) !== JSON.stringify(value)) {
        throw new Error(`${at}: allOf parts disagree on "${key}"; merge them in the document`);
      }
    }
  }
  return merged;
}

/** @param {Json} document */
function flattenAllOf(document) {
  walk(document, "#", (node, at) => {
    if (!Array.isArray(node.allOf)) return;
    const merged = mergeAllOf(document, node, at);
    for (const key of Object.keys(node)) delete node[key];
    Object.assign(node, merged);
  });
}

/**
 * A property that is only a `$ref` gets the referenced schema's description (openapi-typescript
 * writes JSDoc from the property itself, so `stock_type: BusifavorStockType` had no hover text).
 * The same for response headers and parameters given by reference.
 * @param {Json} document
 */
function describeReferences(document) {
  /** @param {any} holder */
  const describe = (holder) => {
    for (const [name, value] of Object.entries(holder ?? {})) {
      if (!isObject(value) || typeof value.$ref !== "string" || value.description) continue;
      const target = resolve(document, value);
      if (typeof target.description === "string")
        holder[name] = { ...value, description: target.description };
    }
  };
  walk(document, "#", (node) => {
    if (isObject(node.properties)) describe(node.properties);
    if (isObject(node.headers)) describe(node.headers);
  });
}

/**
 * Parameters sent as JSON text (`content: application/json`, e.g. `authorized_data` of
 * GET /v3/marketing/partnerships) are typed as the object they carry: the client's query
 * serializer writes objects as JSON, so callers pass the object and never hand-encode it.
 * @param {Json} document
 */
function typeJsonParametersAsObjects(document) {
  walk(document, "#", (node) => {
    if (node.in === undefined || typeof node.name !== "string") return;
    const schema = node.content?.["application/json"]?.schema;
    if (!schema) return;
    node.schema = schema;
    delete node.content;
  });
}

/**
 * Nothing that is not on the wire may become a property: openapi-typescript turns `$defs` (and
 * `definitions`) inside a schema into a required property of the generated type.
 * @param {Json} document
 */
function refusePseudoProperties(document) {
  walk(document, "#", (node, at) => {
    for (const key of ["$defs", "definitions"]) {
      if (key in node && (isObject(node.properties) || node.type === "object")) {
        throw new Error(
          `${at} keeps schemas under ${key}: openapi-typescript would make "${key}" a property of the type; reference them from where they are used instead`,
        );
      }
    }
  });
}

/**
 * The document openapi-typescript generates from. The input is not changed.
 * @param {Json} bundled
 * @returns {Json}
 */
export function prepareForTypes(bundled) {
  const document = structuredClone(bundled);
  refusePseudoProperties(document);
  typeJsonParametersAsObjects(document);
  flattenAllOf(document);
  describeReferences(document);
  return document;
}
