import ts from "typescript";
import { describe, expect, it } from "vitest";
import { probe } from "../test/typescript.js";

// No user has to import @wechatpay-marketing/signer for a type: every signer type that the client's
// exported declarations name is itself exported by the client.

describe("the client's public types", () => {
  it("export every signer type its exported declarations name", { timeout: 60_000 }, () => {
    const editor = probe(`export * from "./index.js";\n`);
    const { checker, program } = editor;
    const index = program.getSourceFiles().find((f) => f.fileName.endsWith("client/src/index.ts"));
    const indexSymbol = index && checker.getSymbolAtLocation(index);
    if (!indexSymbol) throw new Error("src/index.ts is not in the program");
    const exported = checker.getExportsOfModule(indexSymbol);
    const exportedNames = new Set(exported.map((s) => s.name));

    const resolved = (symbol: ts.Symbol) =>
      symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const fromSigner = (symbol: ts.Symbol) =>
      (resolved(symbol).declarations ?? []).some((d) =>
        /packages\/signer\/|@wechatpay-marketing\/signer\//.test(d.getSourceFile().fileName),
      );

    const needed = new Map<string, string>();
    for (const symbol of exported) {
      for (const declaration of resolved(symbol).declarations ?? []) {
        if (!/client\/src\//.test(declaration.getSourceFile().fileName)) continue;
        const visit = (node: ts.Node) => {
          const name = ts.isTypeReferenceNode(node)
            ? node.typeName
            : ts.isExpressionWithTypeArguments(node)
              ? node.expression
              : undefined;
          const target = name && checker.getSymbolAtLocation(name);
          if (target && fromSigner(target)) needed.set(resolved(target).name, symbol.name);
          node.forEachChild(visit);
        };
        visit(declaration);
      }
    }
    const missing = [...needed].filter(([name]) => !exportedNames.has(name));
    expect(missing.map(([name, by]) => `${name} (named by ${by})`)).toEqual([]);
    // Not vacuous: the options and the notification type are among them.
    expect([...needed.keys()]).toEqual(
      expect.arrayContaining(["SignerOptions", "NotificationOptions", "Notification"]),
    );
  });
});
