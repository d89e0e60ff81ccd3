// @ts-check
// Writes the type tests of every operation and webhook from the document itself, so that a new
// operation is covered the moment it is added, and none can be forgotten. For each operation:
// its documented request compiles; an unknown key in the body (and in each object of it), the
// query, the path and the header parameters does not; the fields the document requires are exactly
// the required ones of the generated types; `error.code` is the union of the documented codes.
import { listOperations, listWebhooks } from "@wechatpay-marketing/openapi";
import { copy, literal, Source, union } from "./literal.mjs";
import { resolve } from "./prepare.mjs";

/** @typedef {Record<string, any>} Json */
/** @typedef {import("@wechatpay-marketing/openapi").SpecOperation} SpecOperation */

/** The key no schema of the document has. */
const UNKNOWN = "not_in_the_spec";
const LOCATIONS = /** @type {const} */ (["path", "query", "header"]);
const isObject = (/** @type {unknown} */ v) =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The first example of a parameter or media type: `example`, the first of `examples`, then the
 * schema's own.
 * @param {Json} document
 * @param {Json | undefined} holder
 */
function firstExample(document, holder) {
  if (!holder) return undefined;
  if (holder.example !== undefined) return holder.example;
  const first = Object.values(holder.examples ?? {})[0];
  if (first !== undefined) return resolve(document, first).value;
  const schema = holder.schema ? resolve(document, holder.schema) : undefined;
  if (schema?.example !== undefined) return schema.example;
  if (Array.isArray(schema?.examples) && schema.examples.length > 0) return schema.examples[0];
  return undefined;
}

/**
 * The documented request of an operation: parameters by location (with their definitions) and the
 * body, from the document's examples.
 * @param {Json} bundled the document as published (examples)
 * @param {Json} prepared the document the types come from (schemas)
 * @param {SpecOperation} op from `bundled`
 * @param {SpecOperation} typed the same operation in `prepared`
 */
function documentedRequest(bundled, prepared, op, typed) {
  const where = `${op.operationId} (${op.key})`;
  /** @type {Map<string, Json>} */
  const byKey = new Map();
  const listed = (/** @type {unknown} */ v) => (Array.isArray(v) ? v : []);
  for (const raw of [...listed(op.pathItem.parameters), ...listed(op.definition.parameters)]) {
    const parameter = resolve(bundled, raw);
    byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  /** @type {Record<string, Json[]>} */
  const declared = { path: [], query: [], header: [] };
  /** @type {Record<string, Record<string, unknown>>} */
  const values = { path: {}, query: {}, header: {} };
  for (const parameter of byKey.values()) {
    if (!(parameter.in in declared)) continue;
    declared[parameter.in]?.push(parameter);
    const example = parameter.content
      ? firstExample(bundled, Object.values(parameter.content)[0])
      : firstExample(bundled, parameter);
    if (example === undefined) {
      if (parameter.required) {
        throw new Error(
          `${where}: the required ${parameter.in} parameter ${parameter.name} has no example`,
        );
      }
      continue;
    }
    /** @type {Record<string, unknown>} */ (values[parameter.in])[parameter.name] = example;
  }

  const requestBody = op.definition.requestBody
    ? resolve(bundled, op.definition.requestBody)
    : undefined;
  /** @type {Json | undefined} */
  let body;
  /** @type {Json | undefined} */
  let bodySchema;
  if (requestBody) {
    const [media, content] = Object.entries(requestBody.content ?? {})[0] ?? [];
    const example = firstExample(bundled, content);
    if (example === undefined)
      throw new Error(`${where}: the ${media} request body has no example`);
    const preparedBody = resolve(prepared, typed.definition.requestBody);
    bodySchema = preparedBody.content?.[media ?? ""]?.schema;
    const copied = structuredClone(example);
    // Binary form parts are Blobs in the client's types; the example can only stand for the bytes.
    const properties = resolve(prepared, bodySchema)?.properties ?? {};
    for (const [name, property] of Object.entries(properties)) {
      if (resolve(prepared, property).format === "binary" && name in copied) {
        copied[name] = new Source("new Blob([])");
      }
    }
    body = copied;
  }
  return { where, declared, values, body, bodySchema };
}

/**
 * The init argument of a call: `params` (path, query, header, in openapi-fetch's order) and `body`.
 * @param {Record<string, Record<string, unknown>>} values
 * @param {unknown} body
 */
function init(values, body) {
  /** @type {Record<string, unknown>} */
  const params = {};
  for (const location of LOCATIONS) {
    if (Object.keys(values[location] ?? {}).length > 0) params[location] = values[location];
  }
  /** @type {Record<string, unknown>} */
  const out = {};
  if (Object.keys(params).length > 0) out.params = params;
  if (body !== undefined) out.body = body;
  return out;
}

/**
 * `void client.METHOD(path, init);` with `// @ts-expect-error` above the line naming the unknown key.
 * @param {SpecOperation} op
 * @param {Record<string, unknown>} argument
 * @param {string} indent
 */
function call(op, argument, indent) {
  const args = Object.keys(argument).length > 0 ? `, ${literal(argument, indent)}` : "";
  const source = `${indent}void client.${op.method}(${JSON.stringify(op.path)}${args});`;
  return source
    .split("\n")
    .flatMap((line) =>
      line.includes(UNKNOWN)
        ? [`${line.match(/^\s*/)?.[0]}// @ts-expect-error ${UNKNOWN} is not in the spec`, line]
        : [line],
    )
    .join("\n");
}

/**
 * Every object of a body example one level down (and the first item of its lists of objects), as
 * paths into the example, for the nested unknown-key cases.
 * @param {unknown} body
 * @returns {(string | number)[][]}
 */
function nestedObjects(body) {
  if (!isObject(body)) return [];
  return Object.entries(/** @type {Json} */ (body)).flatMap(([name, value]) => {
    if (isObject(value) && !(value instanceof Source)) return [[name]];
    if (Array.isArray(value) && isObject(value[0])) return [[name, 0]];
    return [];
  });
}

/**
 * The cases that must not compile: one unknown key per request object.
 * @param {ReturnType<typeof documentedRequest>} request
 * @returns {{ title: string, argument: Record<string, unknown> }[]}
 */
function unknownKeyCases({ declared, values, body }) {
  const cases = [];
  for (const location of LOCATIONS) {
    const withUnknown = copy(values);
    // With no parameter there, the whole object is the mistake (the type is `never`): one line.
    withUnknown[location] =
      (declared[location] ?? []).length > 0
        ? { ...values[location], [UNKNOWN]: "x" }
        : /** @type {any} */ (new Source(`{ ${UNKNOWN}: "x" }`));
    cases.push({
      title: `rejects an unknown ${location} parameter`,
      argument: init(withUnknown, body),
    });
  }
  if (body === undefined) {
    cases.push({
      title: "rejects a body (the operation takes none)",
      argument: { ...init(values, undefined), body: new Source(`{ ${UNKNOWN}: "x" }`) },
    });
    return cases;
  }
  cases.push({
    title: "rejects an unknown body field",
    argument: init(values, { ...body, [UNKNOWN]: "x" }),
  });
  for (const at of nestedObjects(body)) {
    const changed = copy(body);
    const target = at.reduce((/** @type {any} */ node, key) => node[key], changed);
    target[UNKNOWN] = "x";
    cases.push({
      title: `rejects an unknown field in body.${at.join(".").replace(/\.0/g, "[]")}`,
      argument: init(values, changed),
    });
  }
  return cases;
}

/**
 * The error codes an operation documents: the `code` enum of every non-2xx JSON answer.
 * @param {Json} prepared
 * @param {SpecOperation} op
 */
function errorCodes(prepared, op) {
  const where = `${op.operationId} (${op.key})`;
  const codes = new Set();
  for (const [status, raw] of Object.entries(op.definition.responses ?? {})) {
    if (status.startsWith("2")) continue;
    const response = resolve(prepared, raw);
    const schema = response.content?.["application/json"]?.schema;
    if (!schema)
      throw new Error(`${where}: the ${status} answer has no application/json error body`);
    const code = resolve(prepared, resolve(prepared, schema).properties?.code ?? {});
    if (!Array.isArray(code.enum) || code.enum.length === 0) {
      throw new Error(
        `${where}: the ${status} answer's error code has no enum of the documented codes (error.code would be a bare string)`,
      );
    }
    for (const value of code.enum) codes.add(String(value));
  }
  if (codes.size === 0) throw new Error(`${where} documents no error answer`);
  return [...codes];
}

/**
 * Every object schema under a root, with its path (arrays are stepped through) and required
 * properties; each component once.
 * @param {Json} prepared
 * @param {unknown} node
 * @param {string[]} [path]
 * @param {Set<string>} [seen]
 * @returns {{ path: string[], required: string[] }[]}
 */
function objectSchemas(prepared, node, path = [], seen = new Set()) {
  const ref = isObject(node) ? /** @type {Json} */ (node).$ref : undefined;
  if (typeof ref === "string") {
    if (seen.has(ref)) return [];
    seen.add(ref);
  }
  const schema = resolve(prepared, node);
  if (!isObject(schema)) return [];
  if (schema.items) return objectSchemas(prepared, schema.items, path, seen);
  if (!isObject(schema.properties)) return [];
  const required = (schema.required ?? []).filter(
    (/** @type {string} */ name) => name in schema.properties,
  );
  return [
    { path, required },
    ...Object.entries(schema.properties).flatMap(([name, property]) =>
      objectSchemas(prepared, property, [...path, name], seen),
    ),
  ];
}

/**
 * `expectTypeOf<RequiredKeys<At<Root, [...]>>>().toEqualTypeOf<...>()` for every object under a root.
 * @param {string} root a type expression
 * @param {{ path: string[], required: string[] }[]} objects
 * @param {string} indent
 */
function requiredAssertions(root, objects, indent) {
  return objects.map(
    ({ path, required }) =>
      `${indent}expectTypeOf<RequiredKeys<At<${root}, [${path.map((p) => JSON.stringify(p)).join(", ")}]>>>().toEqualTypeOf<${union(required)}>();`,
  );
}

/**
 * The assertions on required fields: parameters by location, the request body and the 2xx body.
 * @param {Json} prepared
 * @param {SpecOperation} op
 * @param {ReturnType<typeof documentedRequest>} request
 */
function requiredFieldLines(prepared, op, { declared, bodySchema }) {
  const id = JSON.stringify(op.operationId);
  const lines = [];
  for (const location of LOCATIONS) {
    const names = (declared[location] ?? []).filter((p) => p.required).map((p) => p.name);
    if ((declared[location] ?? []).length === 0) continue;
    lines.push(
      `      expectTypeOf<RequiredKeys<NonNullable<operations[${id}]["parameters"][${JSON.stringify(location)}]>>>().toEqualTypeOf<${union(names)}>();`,
    );
  }
  if (bodySchema) {
    lines.push(
      ...requiredAssertions(`RequestBody<${id}>`, objectSchemas(prepared, bodySchema), "      "),
    );
  }
  const [, ok] =
    Object.entries(op.definition.responses ?? {}).find(([s]) => s.startsWith("2")) ?? [];
  const okSchema = ok ? resolve(prepared, ok).content?.["application/json"]?.schema : undefined;
  if (okSchema) {
    lines.push(...requiredAssertions(`OkBody<${id}>`, objectSchemas(prepared, okSchema), "      "));
  }
  return lines;
}

const HELPERS = `type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
type Item<T> = T extends readonly (infer E)[] ? E : T;
/** The type at a property path, stepping through arrays. */
type At<T, P extends readonly string[]> = P extends readonly [
  infer Head extends string,
  ...infer Rest extends string[],
]
  ? At<Item<NonNullable<T>>[Head & keyof Item<NonNullable<T>>], Rest>
  : Item<NonNullable<T>>;
type ContentOf<T> = T extends { content: infer C } ? C[keyof C] : never;
type RequestBody<Id extends keyof operations> = ContentOf<NonNullable<operations[Id]["requestBody"]>>;
type OkBody<Id extends keyof operations> = ContentOf<
  operations[Id]["responses"][Extract<keyof operations[Id]["responses"], 200 | 201 | 202 | 204>]
>;`;

/**
 * The type tests of every operation.
 * @param {Json} bundled
 * @param {Json} prepared
 * @param {string} header
 */
export function operationTypeTests(bundled, prepared, header) {
  const typedOperations = new Map(
    listOperations(/** @type {any} */ (prepared)).map((op) => [op.key, op]),
  );
  const blocks = listOperations(/** @type {any} */ (bundled)).map((op) => {
    const typed = /** @type {SpecOperation} */ (typedOperations.get(op.key));
    const request = documentedRequest(bundled, prepared, op, typed);
    const documented = init(request.values, request.body);
    const codes = errorCodes(prepared, typed);
    const its = [
      `    it("accepts the documented request", () => {\n${call(op, documented, "      ")}\n    });`,
      ...unknownKeyCases(request).map(
        ({ title, argument }) =>
          `    it(${JSON.stringify(title)}, () => {\n${call(op, argument, "      ")}\n    });`,
      ),
      `    it("requires exactly the fields the document requires", () => {\n${requiredFieldLines(prepared, typed, request).join("\n")}\n    });`,
      `    it("types error.code as the documented codes", async () => {\n      const { error } = await ${call(
        op,
        documented,
        "      ",
      )
        .trim()
        .replace(/^void /, "")
        .replace(
          /;$/,
          "",
        )};\n      if (error) expectTypeOf(error.code).toEqualTypeOf<${union(codes)}>();\n    });`,
    ];
    return `  describe(${JSON.stringify(`${op.operationId} (${op.key})`)}, () => {\n${its.join("\n\n")}\n  });`;
  });
  return `${header}import { describe, expectTypeOf, it } from "vitest";
import type { MarketingClient, operations } from "../index.js";

${HELPERS}

declare const client: MarketingClient;

describe("every operation of the document, typed", () => {
${blocks.join("\n\n")}
});
`;
}

/**
 * The type tests of every webhook: its decrypted resource type, parseNotification's narrowing and
 * the resource's required fields.
 * @param {Json} bundled
 * @param {Json} prepared
 * @param {string} header
 */
export function webhookTypeTests(bundled, prepared, header) {
  const blocks = listWebhooks(/** @type {any} */ (bundled)).map((hook) => {
    const event = JSON.stringify(hook.eventType);
    const resource = `components["schemas"][${JSON.stringify(hook.notification.resourceSchema)}]`;
    const objects = objectSchemas(prepared, {
      $ref: `#/components/schemas/${hook.notification.resourceSchema}`,
    });
    return `  describe(${JSON.stringify(`${hook.eventType} (${hook.operationId})`)}, () => {
    it("types the decrypted resource by the schema x-notification names", async () => {
      expectTypeOf<NotificationResources[${event}]>().toEqualTypeOf<${resource}>();
      const notification = await parseNotification({ headers: {}, body: "" }, { apiV3Key: "" });
      if (notification.eventType === ${event}) {
        expectTypeOf(notification.resource).toEqualTypeOf<${resource}>();
      }
    });

    it("requires exactly the resource fields the document requires", () => {
${requiredAssertions(resource, objects, "      ").join("\n")}
    });
  });`;
  });
  return `${header}import { describe, expectTypeOf, it } from "vitest";
import { type components, type NotificationResources, parseNotification } from "../index.js";

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
type Item<T> = T extends readonly (infer E)[] ? E : T;
type At<T, P extends readonly string[]> = P extends readonly [
  infer Head extends string,
  ...infer Rest extends string[],
]
  ? At<Item<NonNullable<T>>[Head & keyof Item<NonNullable<T>>], Rest>
  : Item<NonNullable<T>>;

describe("every webhook of the document, typed", () => {
${blocks.join("\n\n")}
});
`;
}
