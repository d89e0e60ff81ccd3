import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { operations as specOperations } from "@wechatpay-marketing/openapi";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clientDir, probe } from "../test/typescript.js";

// The fields ../shared/reference/marketing-operations.json requires are required in the generated
// types (not only in the document: openapi-typescript used to drop required flags of allOf
// overlays, e.g. max_coupons on create). Walks the types with the compiler, like an editor does.

interface RefSchema {
  type?: string;
  required?: string[];
  properties?: Record<string, RefSchema>;
  items?: RefSchema;
}
interface RefOperation {
  method: string;
  path: string;
  params: { in: string; name: string; required: boolean }[];
  requestBody: RefSchema | null;
  responseBody: RefSchema | null;
}

const referencePath = join(clientDir, "../../../shared/reference/marketing-operations.json");
// Through the specs dependency, so turbo sees the edge.
const differencesPath = createRequire(import.meta.url).resolve(
  "@wechatpay-marketing/specs/reference-differences.yaml",
);
const hasReference = existsSync(referencePath);

describe.skipIf(!hasReference)(
  "reference-required fields are required in the generated types (needs ../shared beside the clone)",
  () => {
    let checker: ts.TypeChecker;
    let operationsType: ts.Type;
    let reference: RefOperation[];
    let listed: Set<string>;

    beforeAll(() => {
      const editor = probe(
        `import type { operations } from "./index.js";\nexport declare const all: operations;\n`,
      );
      checker = editor.checker;
      const declaration = editor.sourceFile.statements.find(ts.isVariableStatement);
      const variable = declaration?.declarationList.declarations[0];
      if (!variable) throw new Error("the probe declares no variable");
      operationsType = checker.getTypeAtLocation(variable.name);
      reference = (
        JSON.parse(readFileSync(referencePath, "utf8")) as { operations: RefOperation[] }
      ).operations;
      // Where the spec deliberately differs from the reference (the official documents win).
      const differences = (parse(readFileSync(differencesPath, "utf8")) ?? []) as {
        operation: string;
        field: string;
      }[];
      listed = new Set(differences.map((d) => `${d.operation} ${d.field}`));
    }, 60_000);

    const property = (type: ts.Type, name: string) => {
      const symbol = checker.getNonNullableType(type).getProperty(name);
      return symbol && { symbol, type: checker.getTypeOfSymbol(symbol) };
    };

    const elementOf = (type: ts.Type) => {
      const array = checker.getNonNullableType(type);
      return checker.isArrayType(array)
        ? checker.getTypeArguments(array as ts.TypeReference)[0]
        : undefined;
    };

    /** Problems with the required fields of `schema` in `type`, by field path. */
    function requiredProblems(type: ts.Type | undefined, schema: RefSchema, at: string): string[] {
      if (!type) return schema.properties || schema.items ? [`${at}: no such type`] : [];
      if (schema.type === "array") {
        return schema.items ? requiredProblems(elementOf(type), schema.items, `${at}[]`) : [];
      }
      const required = new Set(schema.required ?? []);
      return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => {
        const path = `${at}.${name}`;
        const found = property(type, name);
        if (!found) return required.has(name) ? [`${path}: missing`] : [];
        const own =
          required.has(name) && found.symbol.flags & ts.SymbolFlags.Optional
            ? [`${path}: optional, the reference requires it`]
            : [];
        const nested =
          child.properties || child.type === "array"
            ? requiredProblems(found.type, child, path)
            : [];
        return [...own, ...nested];
      });
    }

    /** The body type of an operation's request (`requestBody`) or 2xx answer. */
    function bodyType(operation: ts.Type, part: "request" | "response") {
      let holder: ts.Type | undefined;
      if (part === "request") holder = property(operation, "requestBody")?.type;
      else {
        const responses = property(operation, "responses")?.type;
        const ok = responses?.getProperties().find((s) => /^2\d\d$/.test(s.name));
        holder = ok && checker.getTypeOfSymbol(ok);
      }
      const content = holder && property(holder, "content")?.type;
      const media = content?.getProperties()[0];
      return media && checker.getTypeOfSymbol(media);
    }

    it("requires every field and parameter the reference requires, for all of its operations", () => {
      const byKey = new Map<string, string>(specOperations().map((o) => [o.key, o.operationId]));
      let checked = 0;
      const problems = reference.flatMap((ref) => {
        const key = `${ref.method.toUpperCase()} ${ref.path}`;
        const id = byKey.get(key);
        if (!id) return [`${key}: not an operation of the spec`];
        const operation = property(operationsType, id)?.type;
        if (!operation) return [`${key}: operations["${id}"] is not generated`];
        checked++;
        const parameters = property(operation, "parameters")?.type;
        const paramProblems = ref.params
          .filter((p) => p.required && p.in !== "formData")
          .flatMap((p) => {
            const at = `${p.in}.${p.name}`;
            const location = parameters && property(parameters, p.in)?.type;
            const found = location && property(location, p.name);
            if (!found) return [`${at}: missing`];
            return found.symbol.flags & ts.SymbolFlags.Optional
              ? [`${at}: optional, the reference requires it`]
              : [];
          });
        const bodyProblems = [
          ...(ref.requestBody
            ? requiredProblems(bodyType(operation, "request"), ref.requestBody, "body")
            : []),
          ...(ref.responseBody
            ? requiredProblems(bodyType(operation, "response"), ref.responseBody, "response")
            : []),
        ];
        return [...paramProblems, ...bodyProblems]
          .filter((line) => !listed.has(`${key} ${line.split(":")[0]}`))
          .map((line) => `${key} (${id}) ${line}`);
      });
      expect(problems).toEqual([]);
      expect(checked).toBe(reference.length);
    }, 60_000);

    it("catches the flags an allOf overlay used to lose (max_coupons on create, max_amount in the detail)", () => {
      const create = property(operationsType, "createBusifavorStock")?.type as ts.Type;
      const detail = property(operationsType, "getBusifavorStock")?.type as ts.Type;
      const rule = (operation: ts.Type, part: "request" | "response") =>
        property(bodyType(operation, part) as ts.Type, "stock_send_rule")?.type as ts.Type;
      const optional = (type: ts.Type, name: string) =>
        Boolean((property(type, name)?.symbol.flags ?? 0) & ts.SymbolFlags.Optional);
      expect(optional(rule(create, "request"), "max_coupons")).toBe(false);
      expect(optional(rule(detail, "response"), "max_amount")).toBe(false);
      // …and only there: the same rule is optional where the reference does not require it.
      expect(optional(rule(create, "request"), "max_amount")).toBe(true);
    });
  },
);
