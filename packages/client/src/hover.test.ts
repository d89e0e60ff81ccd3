import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parseGenerated, probe } from "../test/typescript.js";

// What an editor shows for the generated types: every property that stands for a field of the
// document (schema properties, parameters, headers) carries its description, and no hover shows
// `& {}` / `& unknown` wrappers.

const name = (node: ts.PropertySignature) => node.name.getText();

function hasDescription(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some((doc) => {
    if (!ts.isJSDoc(doc)) return false;
    const text = ts.getTextOfJSDocComment(doc.comment) ?? "";
    const described = (doc.tags ?? []).some(
      (tag) => tag.tagName.text === "description" && (ts.getTextOfJSDocComment(tag.comment) ?? ""),
    );
    return text.trim() !== "" || described;
  });
}

const members = (node: ts.TypeNode | undefined): ts.PropertySignature[] =>
  node && ts.isTypeLiteralNode(node) ? node.members.filter(ts.isPropertySignature) : [];

const member = (node: ts.TypeNode | undefined, key: string) =>
  members(node).find((m) => name(m).replace(/^"|"$/g, "") === key)?.type;

/** Collects every undocumented property under a schema type, with its path. */
function checkSchema(node: ts.TypeNode | undefined, at: string, missing: string[]): void {
  if (!node) return;
  if (ts.isTypeLiteralNode(node)) {
    for (const property of members(node)) {
      const where = `${at}.${name(property)}`;
      if (!hasDescription(property)) missing.push(where);
      checkSchema(property.type, where, missing);
    }
  } else if (ts.isArrayTypeNode(node)) {
    checkSchema(node.elementType, `${at}[]`, missing);
  } else if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) {
    for (const part of node.types) checkSchema(part, at, missing);
  } else if (ts.isParenthesizedTypeNode(node)) {
    checkSchema(node.type, at, missing);
  }
}

/** Response objects: their description, their headers and their body schema. */
function checkResponses(
  responses: ts.PropertySignature[],
  at: string,
  missing: string[],
  describedItself: boolean,
) {
  for (const response of responses) {
    const where = `${at}.${name(response)}`;
    if (
      !response.type ||
      ts.isTypeReferenceNode(response.type) ||
      ts.isIndexedAccessTypeNode(response.type)
    )
      continue; // a reference to components.responses, checked there
    if (describedItself && !hasDescription(response)) missing.push(where);
    for (const header of members(member(response.type, "headers"))) {
      if (!hasDescription(header)) missing.push(`${where}.headers.${name(header)}`);
    }
    for (const media of members(member(response.type, "content"))) {
      checkSchema(media.type, `${where}.content.${name(media)}`, missing);
    }
  }
}

function interfaceNamed(file: ts.SourceFile, interfaceName: string) {
  const found = file.statements.find(
    (s): s is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(s) && s.name.text === interfaceName,
  );
  if (!found) throw new Error(`marketing.gen.ts has no interface ${interfaceName}`);
  return found.members.filter(ts.isPropertySignature);
}

describe("hover text of the generated types", () => {
  const file = parseGenerated("marketing.gen.ts");

  it("describes every schema property, parameter and header in marketing.gen.ts", () => {
    const missing: string[] = [];
    let checked = 0;
    const count = (node: ts.Node) => {
      if (ts.isPropertySignature(node)) checked++;
      node.forEachChild(count);
    };
    const components = interfaceNamed(file, "components");
    for (const schema of members(components.find((m) => name(m) === "schemas")?.type)) {
      if (!hasDescription(schema)) missing.push(`components.schemas.${name(schema)}`);
      checkSchema(schema.type, `components.schemas.${name(schema)}`, missing);
      count(schema);
    }
    for (const kind of ["parameters", "headers"]) {
      for (const entry of members(components.find((m) => name(m) === kind)?.type)) {
        if (!hasDescription(entry)) missing.push(`components.${kind}.${name(entry)}`);
        checkSchema(entry.type, `components.${kind}.${name(entry)}`, missing);
      }
    }
    const responses = members(components.find((m) => name(m) === "responses")?.type);
    checkResponses(responses, "components.responses", missing, true);

    for (const operation of interfaceNamed(file, "operations")) {
      const at = `operations.${name(operation)}`;
      for (const location of ["query", "header", "path", "cookie"]) {
        for (const parameter of members(member(member(operation.type, "parameters"), location))) {
          const where = `${at}.parameters.${location}.${name(parameter)}`;
          if (!hasDescription(parameter)) missing.push(where);
          checkSchema(parameter.type, where, missing);
        }
      }
      for (const media of members(member(member(operation.type, "requestBody"), "content"))) {
        checkSchema(media.type, `${at}.requestBody.content.${name(media)}`, missing);
      }
      checkResponses(
        members(member(operation.type, "responses")),
        `${at}.responses`,
        missing,
        true,
      );
      count(operation);
    }
    expect(missing).toEqual([]);
    // The walk reached the schemas (not a vacuous pass): hundreds of properties were looked at.
    expect(checked).toBeGreaterThan(450);
  });

  it("writes no intersection: allOf parts are merged into one object type", () => {
    const intersections: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isIntersectionTypeNode(node)) intersections.push(node.getText().slice(0, 80));
      node.forEachChild(visit);
    };
    visit(file);
    expect(intersections).toEqual([]);
  });

  it("declares no pseudo-property: no $defs, no definitions, no exported $defs type", () => {
    expect(file.getText()).not.toMatch(/\$defs|\bdefinitions\b/);
  });

  it("shows descriptions and plain object types when hovering a call's body and answer", {
    timeout: 60_000,
  }, () => {
    const source = `import type { MarketingClient } from "./index.js";
declare const client: MarketingClient;
export async function run() {
  const { data, error } = await client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
    params: { path: { stock_id: "1" } },
  });
  if (data) void data.stock_state;
  if (error) void error.code;
  void client.POST("/v3/marketing/busifavor/stocks", {
    // Incomplete on purpose: only the hover over the field is looked at.
    body: { stock_type: "NORMAL" },
  });
}
`;
    const editor = probe(source);
    const text = (marker: string) => {
      const { documentation, tags } = editor.hover(marker);
      return [documentation, ...tags].join("\n");
    };
    expect(text("stock_state")).toMatch(/State of a stock \(批次状态\)/);
    expect(editor.hover("stock_state").display).toMatch(/"UNAUDIT" \| "RUNNING"/);
    // A field that references another schema: its description used to be missing.
    expect(text("stock_type")).toMatch(/Kind of coupon in the stock \(批次类型\)/);
    for (const marker of ["data,", "error }", "error.code", "body:"]) {
      const { display } = editor.hover(marker);
      expect(display, marker).not.toMatch(/&\s*(\{\s*\}|unknown)/);
    }
    expect(editor.hover("error.code").display).toMatch(/"SIGN_ERROR"/);
  });
});
