import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";
import type { OpenApiDocument, SpecOperation } from "./document.js";
import { compileKnownFields, type KnownFields } from "./known-fields.js";
import { JsonInputError, LIMITS, parseRequestJson } from "./limits.js";

const Ajv2020 = AjvModule.default;
const addFormats = formatsModule.default;
const DOCUMENT_ID = "https://sandbox.invalid/openapi.json";

export type ParameterLocation = "path" | "query" | "header";

/** The first thing wrong with a request, as WeChat Pay reports it in PARAM_ERROR's `detail`. */
export interface ValidationIssue {
  field: string;
  location: ParameterLocation | "body";
  issue: string;
  value?: unknown;
}

interface ParameterDefinition {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
  content?: Record<string, { schema?: unknown }>;
}

interface CompiledParameter {
  name: string;
  location: ParameterLocation;
  required: boolean;
  /** Parameters with `content: application/json` travel as JSON text (e.g. `partner`). */
  json: boolean;
  validate: ValidateFunction;
  /** JSON parameters: the declared fields (a copy with only those, the first other one). */
  known: KnownFields;
}

/**
 * What happens to a request field the document does not declare (a misspelt `notfy_url`, a
 * query parameter `opnid`): `refuse` answers PARAM_ERROR naming it, `ignore` drops it before the
 * handler sees the request, as the real service may.
 */
export type UnknownFieldPolicy = "refuse" | "ignore";

/** The issue of a field the document does not declare, naming the option that relaxes it. */
export function unknownFieldIssue(field: string, location: ValidationIssue["location"]) {
  const name = field.split("/").pop() ?? field;
  return {
    field,
    location,
    issue:
      `字段 ${name} 不在接口定义中 (is not declared by the document; the real WeChat Pay service ` +
      `may ignore unknown fields, the sandbox refuses them so that a misspelt field is not lost: ` +
      `start it with unknownFields: "ignore" to drop them instead)`,
  } satisfies ValidationIssue;
}

export interface OperationValidator {
  /** The media type a body of this operation must have (multipart only for the image upload). */
  mediaType: "application/json" | "multipart/form-data";
  /**
   * Checks path, query and header parameters and the body against the document. Returns the
   * typed parameter values (query integers as numbers, JSON parameters parsed) or the issue.
   */
  request(input: {
    params: Record<string, string>;
    query: URLSearchParams;
    headers: Record<string, string | undefined>;
    body: unknown;
    hasBody: boolean;
    unknownFields: UnknownFieldPolicy;
  }):
    | {
        ok: true;
        params: Record<string, unknown>;
        query: Record<string, unknown>;
        /** The body with only the fields its schema declares (see known-fields.ts). */
        body: unknown;
      }
    | {
        ok: false;
        issue: ValidationIssue;
      };
  /** Checks an answer against the response the operation declares for its status. */
  response(status: number, body: unknown): string | undefined;
}

/**
 * Rewrites every local `$ref` so it resolves inside the document registered with Ajv, and keeps
 * only the `propertyName` of a `discriminator`: Ajv picks the `oneOf` variant by the tag's `const`
 * (or `enum`) in each variant and refuses a `mapping`, which says the same (the specs' conventions
 * test checks that every mapping agrees with the variants' tags).
 */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (node && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#"))
        out[key] = `${DOCUMENT_ID}${value}`;
      else if (key === "discriminator" && value && typeof value === "object")
        out[key] = { propertyName: (value as { propertyName?: unknown }).propertyName };
      else out[key] = rebase(value);
    }
    return out;
  }
  return node;
}

function pointer(...segments: string[]): string {
  return segments.map((s) => s.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
}

function createAjv(document: OpenApiDocument, coerceTypes: boolean) {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: false,
    // A oneOf with a discriminator is checked against the variant its tag names, so an error
    // names the field that variant misses, not the first variant's tag.
    discriminator: true,
    coerceTypes,
    useDefaults: coerceTypes,
    validateSchema: false,
    validateFormats: true,
  });
  addFormats(ajv);
  // OpenAPI's integer formats: JSON numbers that must be safe integers.
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31,
  });
  ajv.addSchema(rebase(document) as object, DOCUMENT_ID);
  return ajv;
}

function describe(error: ErrorObject, data: unknown): { field: string; issue: string } {
  const base = error.instancePath;
  if (error.keyword === "required") {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { field: `${base}/${missing}`, issue: `缺少必填字段 ${missing} (is required)` };
  }
  if (error.keyword === "additionalProperties" || error.keyword === "unevaluatedProperties") {
    const params = error.params as { additionalProperty?: string; unevaluatedProperty?: string };
    const extra = params.additionalProperty ?? params.unevaluatedProperty;
    return { field: `${base}/${extra}`, issue: `字段 ${extra} 不在接口定义中 (is not allowed)` };
  }
  if (error.keyword === "discriminator") {
    // The tag that chooses the variant is missing, not text, or not one of the variants' values.
    const { tag: tagName, error: reason } = error.params as { tag: string; error: string };
    const field = `${base}/${tagName}`;
    if (valueAt(data, field) === undefined)
      return { field, issue: `缺少必填字段 ${tagName} (is required)` };
    return reason === "mapping"
      ? { field, issue: `${tagName} 的取值不在可选范围内 (is not one of the allowed values)` }
      : { field, issue: `${tagName} 必须是字符串 (must be a string)` };
  }
  if (error.keyword === "false schema") {
    const name = base.split("/").pop() ?? "";
    return {
      field: base,
      issue: `字段 ${name} 与其他字段的取值不能同时出现 (is not allowed with the values of the other fields)`,
    };
  }
  return { field: base || "/", issue: error.message ?? error.keyword };
}

/**
 * The offending value for `detail.value`, as WeChat Pay shows it: scalars only, long text cut,
 * so an error never carries a megabyte of the request back.
 */
function echo(value: unknown): { value?: unknown } {
  if (typeof value === "string") {
    return { value: value.length > 256 ? `${value.slice(0, 256)}…` : value };
  }
  if (value === null || typeof value === "number" || typeof value === "boolean") return { value };
  return {};
}

function valueAt(root: unknown, path: string): unknown {
  let node = root;
  for (const raw of path.split("/").slice(1)) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node && typeof node === "object") node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}

/**
 * Compiles the request and response schemas of every operation once, at start-up, with
 * Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) and ajv-formats.
 */
export function compileValidators(
  document: OpenApiDocument,
  operations: readonly SpecOperation[],
): Map<string, OperationValidator> {
  const strictAjv = createAjv(document, false);
  const coercingAjv = createAjv(document, true);
  const resolve = (node: unknown): Record<string, unknown> => {
    let current = node as Record<string, unknown>;
    for (let hops = 0; typeof current?.$ref === "string" && hops < 16; hops++) {
      current = valueAt(document, (current.$ref as string).slice(1)) as Record<string, unknown>;
    }
    return current;
  };
  const resolveRef = (ref: string) =>
    ref.startsWith("#") ? valueAt(document, ref.slice(1)) : undefined;
  const validators = new Map<string, OperationValidator>();
  for (const operation of operations) {
    const base = `${DOCUMENT_ID}#/paths/${pointer(operation.path, operation.method.toLowerCase())}`;
    const pathItem = document.paths[operation.path] as Record<string, unknown>;
    const declared = [
      ...((pathItem.parameters as unknown[]) ?? []),
      ...((operation.definition.parameters as unknown[]) ?? []),
    ].map((p) => resolve(p) as unknown as ParameterDefinition);
    const parameters: CompiledParameter[] = declared.map((p) => {
      const json = !p.schema && !!p.content?.["application/json"];
      const schema = json ? p.content?.["application/json"]?.schema : p.schema;
      const ajv = json ? strictAjv : coercingAjv;
      return {
        name: p.name,
        location: p.in as ParameterLocation,
        required: p.required === true || p.in === "path",
        json,
        // Wrapped in an object so Ajv's coercion (query text -> integer) writes back into `v`.
        validate: ajv.compile({
          type: "object",
          properties: { v: rebase(schema ?? {}) },
          required: ["v"],
        } as object),
        known: compileKnownFields(schema ?? {}, resolveRef),
      };
    });
    const requestBody = resolve(operation.definition.requestBody);
    const content = requestBody?.content as Record<string, { schema?: unknown }> | undefined;
    // JSON bodies, or multipart forms (image upload) validated as { meta, file } objects.
    const mediaType = ["application/json", "multipart/form-data"].find((t) => content?.[t]?.schema);
    const bodyRequired = requestBody?.required === true;
    const validateBody = mediaType
      ? strictAjv.compile({ $ref: `${base}/requestBody/content/${pointer(mediaType)}/schema` })
      : undefined;
    const knownBody = compileKnownFields(mediaType ? content?.[mediaType]?.schema : {}, resolveRef);
    const queryNames = new Set(parameters.filter((p) => p.location === "query").map((p) => p.name));
    /** The first field the document does not declare: a query name, in a JSON parameter, in the body. */
    const firstUnknown = (
      query: URLSearchParams,
      values: Record<ParameterLocation, Record<string, unknown>>,
      body: unknown,
    ): ValidationIssue | undefined => {
      for (const name of query.keys()) {
        if (!queryNames.has(name)) return unknownFieldIssue(name, "query");
      }
      for (const p of parameters) {
        const value = values[p.location][p.name];
        const found = p.json && value !== undefined ? p.known.firstUnknown(value) : undefined;
        if (found !== undefined) return unknownFieldIssue(`${p.name}${found}`, p.location);
      }
      const found = body === undefined ? undefined : knownBody.firstUnknown(body);
      return found === undefined ? undefined : unknownFieldIssue(found, "body");
    };
    const responses = new Map<string, ValidateFunction | null>();
    for (const [status, raw] of Object.entries(
      (operation.definition.responses as Record<string, unknown>) ?? {},
    )) {
      const response = resolve(raw);
      const content = response?.content as Record<string, { schema?: unknown }> | undefined;
      const schema = content?.["application/json"]?.schema;
      responses.set(status, schema ? strictAjv.compile(rebase(schema) as object) : null);
    }

    validators.set(operation.key, {
      mediaType: mediaType === "multipart/form-data" ? mediaType : "application/json",
      request({ params, query, headers, body, hasBody, unknownFields }) {
        const values: Record<ParameterLocation, Record<string, unknown>> = {
          path: {},
          query: {},
          header: {},
        };
        for (const p of parameters) {
          let raw: string | undefined;
          if (p.location === "path") raw = params[p.name];
          else if (p.location === "query") raw = query.get(p.name) ?? undefined;
          else raw = headers[p.name.toLowerCase()];
          if (raw === undefined || raw === "") {
            if (p.required) {
              return {
                ok: false,
                issue: {
                  field: p.name,
                  location: p.location,
                  issue: `缺少参数 ${p.name} (is required)`,
                },
              };
            }
            continue;
          }
          let value: unknown = raw;
          if (p.json) {
            try {
              value = parseRequestJson(raw);
            } catch (error) {
              const deep = error instanceof JsonInputError && error.problem === "too-deep";
              return {
                ok: false,
                issue: {
                  field: p.name,
                  location: p.location,
                  issue: deep
                    ? `JSON嵌套超过${LIMITS.jsonDepth}层 (nests deeper than ${LIMITS.jsonDepth} levels)`
                    : "不是合法的JSON (is not valid JSON)",
                  ...(deep ? {} : echo(raw)),
                },
              };
            }
          }
          const holder = { v: value };
          if (!p.validate(holder)) {
            const error = p.validate.errors?.[0];
            const described = error
              ? describe(error, holder)
              : { field: "/v", issue: "is invalid" };
            const sub = described.field.replace(/^\/v/, "");
            return {
              ok: false,
              issue: {
                field: `${p.name}${sub}`,
                location: p.location,
                issue: described.issue,
                ...echo(raw),
              },
            };
          }
          values[p.location][p.name] = holder.v;
        }
        if (validateBody) {
          if (!hasBody) {
            if (bodyRequired) {
              return {
                ok: false,
                issue: { field: "/", location: "body", issue: "缺少请求包体 (body is required)" },
              };
            }
          } else if (!validateBody(body)) {
            const error = validateBody.errors?.[0];
            const described = error ? describe(error, body) : { field: "/", issue: "is invalid" };
            return {
              ok: false,
              issue: {
                ...described,
                location: "body",
                ...(error && error.keyword !== "required"
                  ? echo(valueAt(body, error.instancePath))
                  : {}),
              },
            };
          }
        }
        // The document's own checks come first: an unknown field is the sandbox's stricter rule.
        const unknown =
          unknownFields === "refuse"
            ? firstUnknown(query, values, hasBody ? body : undefined)
            : undefined;
        if (unknown) return { ok: false, issue: unknown };
        for (const p of parameters) {
          const value = values[p.location][p.name];
          if (p.json && value !== undefined) values[p.location][p.name] = p.known.copy(value);
        }
        return {
          ok: true,
          params: values.path,
          query: values.query,
          body: hasBody ? knownBody.copy(body) : undefined,
        };
      },
      response(status, body) {
        const validate = responses.has(String(status))
          ? responses.get(String(status))
          : (responses.get(`${String(status)[0]}XX`) ?? responses.get("default"));
        if (validate === undefined)
          return `status ${status} is not declared by ${operation.operationId}`;
        if (validate === null) {
          return body === undefined ? undefined : `status ${status} declares no body`;
        }
        if (validate(body)) return undefined;
        const error = validate.errors?.[0];
        return `${operation.operationId} ${status}: ${error?.instancePath || "/"} ${error?.message ?? "is invalid"}`;
      },
    });
  }
  return validators;
}

/** Validates any value against a schema of the document (`#/components/schemas/…`). */
export function compileSchemaValidator(document: OpenApiDocument, ref: string) {
  const ajv = createAjv(document, false);
  const validate = ajv.compile({ $ref: `${DOCUMENT_ID}${ref}` });
  return (value: unknown): string | undefined => {
    if (validate(value)) return undefined;
    const error = validate.errors?.[0];
    return `${error?.instancePath || "/"} ${error?.message ?? "is invalid"}`;
  };
}
