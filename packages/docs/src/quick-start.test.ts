import { document } from "@wechatpay-marketing/openapi";
import { describe, expect, it } from "vitest";
import type { Json } from "./code-samples.js";
import { quickStartClientModule, quickStartSamples } from "./quick-start.js";

const doc = document as unknown as Json;
const withDescription = (description: string) => ({ info: { description } });
const block = (source: string) => `\n\`\`\`ts\n${source}\`\`\`\n`;

describe("the Quick start's client.ts", () => {
  it("is the one block of the document's description that starts with // client.ts", () => {
    const source = quickStartClientModule(doc);
    expect(source.startsWith("// client.ts")).toBe(true);
    expect(source).toContain("export const client = createMarketingClient({");
    expect(source).toContain("export const notificationOptions = {");
    expect(String(doc.info.description)).toContain(source);
  });

  it("is an error when it is missing, doubled or exports neither client nor notificationOptions", () => {
    const good = quickStartClientModule(doc);
    expect(() => quickStartClientModule(withDescription("no code"))).toThrow(
      /exactly one ```ts block starting with "\/\/ client\.ts".*found 0/,
    );
    expect(() => quickStartClientModule(withDescription(block(good) + block(good)))).toThrow(
      /found 2/,
    );
    expect(() =>
      quickStartClientModule(
        withDescription(block(good.replace("export const client", "const client"))),
      ),
    ).toThrow("must export `client`");
    expect(() =>
      quickStartClientModule(
        withDescription(block(good.replace("export const notificationOptions", "const x"))),
      ),
    ).toThrow("must export `notificationOptions`");
  });

  it("is used by the Quick start's first call, which is type-checked with the samples", () => {
    const calls = quickStartSamples(doc);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.source).toContain('from "./client.js";');
    expect(quickStartSamples(withDescription(block('import { x } from "./other.js";\n')))).toEqual(
      [],
    );
  });
});
