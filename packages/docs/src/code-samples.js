// @ts-check
// TypeScript code samples for every operation and webhook of the bundled document, written from the
// operation's own examples against the real `createMarketingClient` / `parseNotification` API.
import { operations, webhooks } from "@wechatpay-marketing/openapi";

/** @typedef {Record<string, any>} Json */
/** @typedef {{ lang: string, label: string, source: string }} CodeSample */
/** @typedef {{ key: string, kind: "operation" | "webhook", method: string, path: string, operationId: string, source: string }} GeneratedSample */

export const SAMPLE_LANG = "TypeScript";

/**
 * Where every sample gets its client and notification options: the `client.ts` of the Quick start
 * (in the document's description, see quick-start.js). Samples show the call, not the set-up.
 */
export const CLIENT_IMPORT = 'import { client } from "./client.js"; // Quick start';
const OPTIONS_IMPORT = 'import { notificationOptions } from "./client.js";';

/**
 * The longest line a sample writes: the code panel holds about 57 characters at 1440 px
 * (site.test.ts measures it). Only a long example value or path goes past it, and wraps.
 */
export const LINE_WIDTH = 56;

/**
 * Follows a local `$ref` (`#/components/...`) of the bundled document.
 * @param {Json} document
 * @param {any} node
 * @returns {any}
 */
export function deref(document, node) {
  let current = node;
  for (let depth = 0; current && typeof current.$ref === "string"; depth++) {
    if (depth > 20) throw new Error(`$ref cycle at ${node.$ref}`);
    const ref = current.$ref;
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are expected, got ${ref}`);
    current = ref
      .slice(2)
      .split("/")
      .reduce(
        (/** @type {any} */ at, /** @type {string} */ part) =>
          at?.[part.replace(/~1/g, "/").replace(/~0/g, "~")],
        document,
      );
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return current;
}

/**
 * Every operation (paths) and webhook of the document, in document order: the operation model of
 * @wechatpay-marketing/openapi, in the shape the samples and the site use.
 * @param {Json} document
 * @returns {{ kind: "operation" | "webhook", key: string, method: string, path: string, operation: Json, pathItem: Json, resourceSchema?: string }[]}
 */
export function listOperations(document) {
  const model = /** @type {import("@wechatpay-marketing/openapi").OpenApiDocument} */ (document);
  return [
    ...operations(model).map((o) => ({
      kind: /** @type {const} */ ("operation"),
      key: o.key,
      method: o.method.toLowerCase(),
      path: o.path,
      operation: /** @type {Json} */ (o.definition),
      pathItem: /** @type {Json} */ (o.pathItem),
    })),
    ...webhooks(model).map((w) => ({
      kind: /** @type {const} */ ("webhook"),
      key: `${w.method} ${w.eventType}`,
      method: w.method.toLowerCase(),
      path: w.eventType,
      operation: /** @type {Json} */ (w.definition),
      pathItem: /** @type {Json} */ (w.pathItem),
      resourceSchema: w.notification.resourceSchema,
    })),
  ];
}

/**
 * The first example of a parameter or media type: `example`, then the first of `examples`, then
 * the schema's own example. `undefined` when there is none.
 * @param {Json} document
 * @param {Json | undefined} holder
 */
function firstExample(document, holder) {
  if (!holder) return undefined;
  if (holder.example !== undefined) return holder.example;
  const examples = Object.values(holder.examples ?? {});
  if (examples.length > 0) return deref(document, examples[0]).value;
  const schema = holder.schema ? deref(document, holder.schema) : undefined;
  if (schema?.example !== undefined) return schema.example;
  if (Array.isArray(schema?.examples) && schema.examples.length > 0) return schema.examples[0];
  return undefined;
}

/**
 * A parameter's example value; JSON-in-query parameters (`content`) give their media type's example.
 * @param {Json} document
 * @param {Json} parameter
 */
function parameterExample(document, parameter) {
  if (parameter.content) {
    const media = Object.values(parameter.content)[0];
    return firstExample(document, media);
  }
  return firstExample(document, parameter);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Prints a JSON value as a TypeScript literal in the repo's style (double quotes, trailing commas,
 * bare keys where possible).
 * @param {unknown} value
 * @param {string} indent
 * @returns {string}
 */
export function toTsLiteral(value, indent = "") {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const flat = `[${value.map((v) => toTsLiteral(v, "")).join(", ")}]`;
    if (!flat.includes("\n") && flat.length + indent.length <= LINE_WIDTH) return flat;
    return `[\n${value.map((v) => `${inner}${toTsLiteral(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const lines = entries.map(
    ([k, v]) => `${inner}${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${toTsLiteral(v, inner)},`,
  );
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/**
 * The request options (`params`, `body`) of an operation, from its own examples.
 * @param {Json} document
 * @param {Json} pathItem
 * @param {Json} operation
 * @param {string} where
 */
function requestOptions(document, pathItem, operation, where) {
  /** @type {Record<string, Record<string, unknown>>} */
  const params = {};
  const byKey = new Map();
  for (const raw of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const parameter = deref(document, raw);
    byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  for (const parameter of byKey.values()) {
    if (parameter.in === "cookie") continue;
    const example = parameterExample(document, parameter);
    if (example === undefined) {
      if (parameter.required) {
        throw new Error(
          `${where}: required ${parameter.in} parameter ${parameter.name} has no example`,
        );
      }
      continue;
    }
    params[parameter.in] ??= {};
    /** @type {Record<string, unknown>} */ (params[parameter.in])[parameter.name] = example;
  }

  /** @type {Record<string, unknown>} */
  const options = {};
  if (Object.keys(params).length > 0) {
    // openapi-fetch's order: path, query, header.
    /** @type {Record<string, unknown>} */
    const ordered = {};
    for (const where of ["path", "query", "header"])
      if (params[where]) ordered[where] = params[where];
    options.params = ordered;
  }

  const requestBody = operation.requestBody ? deref(document, operation.requestBody) : undefined;
  let multipart = false;
  if (requestBody) {
    const json = requestBody.content?.["application/json"];
    if (json) {
      const example = firstExample(document, json);
      if (example === undefined) throw new Error(`${where}: the JSON request body has no example`);
      options.body = example;
    } else if (requestBody.content?.["multipart/form-data"]) {
      multipart = true;
    } else {
      throw new Error(
        `${where}: no sample for a ${Object.keys(requestBody.content ?? {}).join(", ")} request body`,
      );
    }
  }
  return { options, multipart };
}

/**
 * Whether the operation documents a JSON error body (so `error.code` / `error.message` are typed).
 * @param {Json} document
 * @param {Json} operation
 */
function hasJsonErrorBody(document, operation) {
  return Object.entries(operation.responses ?? {}).some(([status, raw]) => {
    if (status.startsWith("2")) return false;
    const response = deref(document, raw);
    return Boolean(response.content?.["application/json"]?.schema);
  });
}

/**
 * `const { data, error } = await client.GET(path, options);`, with the path and the options on
 * lines of their own when the call would not fit in LINE_WIDTH, so that it reads without
 * scrolling sideways in the code panel.
 * @param {string} method
 * @param {string} path
 * @param {Record<string, unknown>} options
 * @returns {string[]}
 */
export function callLines(method, path, options) {
  const head = `const { data, error } = await client.${method.toUpperCase()}(`;
  const quoted = JSON.stringify(path);
  const hasOptions = Object.keys(options).length > 0;
  if (!hasOptions) {
    const oneLine = `${head}${quoted});`;
    return oneLine.length <= LINE_WIDTH ? [oneLine] : [head, `  ${quoted},`, ");"];
  }
  if (`${head}${quoted}, {`.length <= LINE_WIDTH) {
    return [`${head}${quoted}, ${toTsLiteral(options, "")});`];
  }
  return [head, `  ${quoted},`, `  ${toTsLiteral(options, "  ")},`, ");"];
}

/**
 * The TypeScript sample of one API operation.
 * @param {Json} document
 * @param {{ method: string, path: string, operation: Json, pathItem: Json }} entry
 */
export function operationSample(document, { method, path, operation, pathItem }) {
  const where = `${method.toUpperCase()} ${path} (${operation.operationId})`;
  const { options, multipart } = requestOptions(document, pathItem, operation, where);
  const lines = [];
  if (multipart) {
    // The only multipart operation is the marketing image upload: the client's uploadImage()
    // builds the form and signs over its `meta` part.
    lines.push(
      'import { readFileSync } from "node:fs";',
      CLIENT_IMPORT,
      "",
      "const { data, error } = await client.uploadImage(",
      '  readFileSync("logo.png"),',
      '  "logo.png",',
      ");",
    );
  } else {
    lines.push(CLIENT_IMPORT, "", ...callLines(method, path, options));
  }
  if (hasJsonErrorBody(document, operation)) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is the sample's own template literal
    lines.push("if (error) {", "  throw new Error(`${error.code}: ${error.message}`);", "}");
  } else {
    lines.push("if (error) throw error;");
  }
  lines.push("console.log(data);");
  return `${lines.join("\n")}\n`;
}

/**
 * The TypeScript sample of one webhook: a fetch-style handler that verifies, decrypts and answers.
 * @param {Json} document
 * @param {{ path: string, resourceSchema?: string }} entry
 */
export function webhookSample(document, { path: eventType, resourceSchema }) {
  const decrypted = resourceSchema ? document.components?.schemas?.[resourceSchema] : undefined;
  const fields = /** @type {string[]} */ (decrypted?.required ?? [])
    .filter((name) => name !== "event_type" && IDENTIFIER.test(name))
    .slice(0, 3);
  const use =
    fields.length > 0
      ? [
          ...fitLine(`      const { ${fields.join(", ")} } = notification.resource;`, () => [
            "      const {",
            ...fields.map((f) => `        ${f},`),
            "      } = notification.resource;",
          ]),
          ...fitLine(`      console.log(notification.id, { ${fields.join(", ")} });`, () => [
            "      console.log(notification.id, {",
            ...fields.map((f) => `        ${f},`),
            "      });",
          ]),
        ]
      : ["      console.log(notification.id, notification.resource);"];
  return `import {
  parseNotification,
  UnsupportedEventError,
} from "@wechatpay-marketing/client";
${OPTIONS_IMPORT}

// The notify URL's handler, fetch-style: Node, Deno,
// Bun and edge workers.
export async function handleNotification(
  request: Request,
): Promise<Response> {
  // The raw body: the signature covers these bytes.
  const body = await request.text();
  try {
    // Verifies the signature and the time window, then
    // decrypts the resource.
    const notification = await parseNotification(
      { headers: request.headers, body },
      notificationOptions,
    );
    if (notification.eventType === ${JSON.stringify(eventType)}) {
      // The same event can arrive again: skip the ids
      // you have handled already.
${use.join("\n")}
    }
  } catch (error) {
    // Verified, but an event this version does not
    // describe: acknowledge it, or WeChat Pay sends it
    // again for a day. A bad signature is refused.
    if (error instanceof UnsupportedEventError) {
      return new Response(null, { status: 204 });
    }
    throw error;
  }
  return new Response(null, { status: 204 });
}
`;
}

/**
 * The line itself when it fits in LINE_WIDTH, else the lines `broken` makes of it.
 * @param {string} line
 * @param {() => string[]} broken
 * @returns {string[]}
 */
function fitLine(line, broken) {
  return line.length <= LINE_WIDTH ? [line] : broken();
}

/**
 * Generates the sample of every operation and webhook.
 * @param {Json} document
 * @returns {GeneratedSample[]}
 */
export function generateSamples(document) {
  return listOperations(document).map((entry) => ({
    key: entry.key,
    kind: entry.kind,
    method: entry.method,
    path: entry.path,
    operationId: entry.operation.operationId,
    source:
      entry.kind === "webhook" ? webhookSample(document, entry) : operationSample(document, entry),
  }));
}

/**
 * A copy of the document with a TypeScript `x-codeSamples` entry first on every operation and
 * webhook. The input is not changed.
 * @param {Json} document
 * @returns {{ document: Json, samples: GeneratedSample[] }}
 */
export function withCodeSamples(document) {
  const copy = structuredClone(document);
  const samples = generateSamples(copy);
  const entries = listOperations(copy);
  entries.forEach((entry, i) => {
    const sample = samples[i];
    if (!sample) throw new Error(`no sample for ${entry.key}`);
    const existing = /** @type {CodeSample[]} */ (entry.operation["x-codeSamples"] ?? []).filter(
      (s) => s.lang !== SAMPLE_LANG,
    );
    entry.operation["x-codeSamples"] = [
      { lang: SAMPLE_LANG, label: SAMPLE_LANG, source: sample.source },
      ...existing,
    ];
  });
  return { document: copy, samples };
}
