import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findWorkspaceRoot, workspacePackage } from "../workspace.js";
import {
  CONSUMER_PACKAGE,
  compareErrors,
  expectedErrors,
  parseDiagnostics,
  withoutDirectives,
} from "./consumer.js";

const fixture = join(workspacePackage(findWorkspaceRoot(), CONSUMER_PACKAGE).dir, "src");
const read = (name: string) => readFileSync(join(fixture, name), "utf8");

describe("the consumer fixture's expected errors", () => {
  it("are declared on the calls that must not compile, none on the typed calls", () => {
    const declared = readdirSync(fixture)
      .sort()
      .flatMap((name) => expectedErrors(`src/${name}`, read(name)))
      .map(({ file, code, includes }) => `${file} ${code} ${includes}`);
    expect(declared).toEqual([
      "src/wrong-call.ts TS2345 /v3/marketing/busifavor/stock/{stock_id}",
      "src/wrong-call.ts TS2741 stock_id",
      "src/wrong-enum.ts TS2322 HALF_PRICE",
    ]);
  });

  it("point at the line below the directive, which stays where it was without the directive", () => {
    const source = read("wrong-enum.ts");
    const [expected] = expectedErrors("src/wrong-enum.ts", source);
    const lines = withoutDirectives(source).split("\n");
    expect(lines).toHaveLength(source.split("\n").length);
    expect(lines[(expected?.line ?? 0) - 1]).toContain('stock_type: "HALF_PRICE"');
    expect(withoutDirectives(source)).not.toMatch(/^\s*\/\/ @ts-expect-error/m);
  });

  it("refuse a bare @ts-expect-error: every one names the error it expects", () => {
    expect(() =>
      expectedErrors("src/x.ts", "const a = 1;\n// @ts-expect-error\nconst b: string = 1;\n"),
    ).toThrow("src/x.ts:2: write @ts-expect-error as");
  });
});

describe("comparing tsc's errors with the expected ones", () => {
  const output = [
    "src/wrong-enum.ts(12,7): error TS2322: Type '\"HALF_PRICE\"' is not assignable to type 'BusifavorStockType'.",
    "src/wrong-call.ts(7,21): error TS2345: Argument of type '\"/v3/marketing/busifavor/stock/{stock_id}\"' is not assignable",
    "  to parameter of type 'never'.",
  ].join("\n");
  const found = parseDiagnostics(output);

  it("reads file, line, code and the whole message", () => {
    expect(found).toEqual([
      {
        file: "src/wrong-enum.ts",
        line: 12,
        code: "TS2322",
        message: "Type '\"HALF_PRICE\"' is not assignable to type 'BusifavorStockType'.",
      },
      {
        file: "src/wrong-call.ts",
        line: 7,
        code: "TS2345",
        message:
          "Argument of type '\"/v3/marketing/busifavor/stock/{stock_id}\"' is not assignable\n  to parameter of type 'never'.",
      },
    ]);
  });

  it("finds nothing to say when they are the same, and names what is missing or extra", () => {
    const enumError = {
      file: "src/wrong-enum.ts",
      line: 12,
      code: "TS2322",
      includes: "HALF_PRICE",
    };
    const callError = {
      file: "src/wrong-call.ts",
      line: 7,
      code: "TS2345",
      includes: "stock/{stock_id}",
    };
    expect(compareErrors([enumError, callError], found)).toEqual([]);
    expect(compareErrors([{ ...enumError, line: 13 }], found)).toEqual([
      "src/wrong-enum.ts:13: expected TS2322 mentioning HALF_PRICE",
      "src/wrong-enum.ts:12: unexpected TS2322 Type '\"HALF_PRICE\"' is not assignable to type 'BusifavorStockType'.",
      "src/wrong-call.ts:7: unexpected TS2345 Argument of type '\"/v3/marketing/busifavor/stock/{stock_id}\"' is not assignable",
    ]);
  });
});
