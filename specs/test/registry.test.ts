import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entryProblems, seedsDir } from "./evidence.js";
import { type Difference, parseDifferences, readSource, strongestBasis } from "./registry.js";

const entry = (source: string, basis = "official-page") => `
- kind: range
  at: GET /v3/marketing/favor/stocks query.limit
  basis: ${basis}
  source:
${source}
  reason: The page bounds the official page gives for this query.
`;
const page = `  - page: https://pay.weixin.qq.com/docs/merchant/apis/cash-coupons/stock/list-stocks.html
    title: 条件查询批次列表
    quote: 分页大小,最大10`;

describe("reference-differences.yaml entries", () => {
  it("reads a page source with its title and quote", () => {
    const [d] = parseDifferences(entry(page));
    expect(d?.basis).toBe("official-page");
    expect(d?.sources).toEqual([
      {
        type: "page",
        url: "https://pay.weixin.qq.com/docs/merchant/apis/cash-coupons/stock/list-stocks.html",
        title: "条件查询批次列表",
        quote: "分页大小,最大10",
      },
    ]);
  });

  it("refuses a source without its quote, naming the entry and the key", () => {
    expect(() => parseDifferences(entry(page.replace(/\n\s+quote:.*/, "")))).toThrow(
      'reference-differences.yaml entry 1, source 1: "quote" must be a non-empty string',
    );
  });

  it("refuses a page that is not on pay.weixin.qq.com, and a seed number YAML read as a number", () => {
    expect(() =>
      readSource({ page: "https://example.com/x", title: "t", quote: "q" }, "e"),
    ).toThrow('e: "https://example.com/x" is not a pay.weixin.qq.com page');
    expect(() => readSource({ seed: 3, section: "§4", quote: "q" }, "e")).toThrow(
      'e: seed must be 000…004, not "3"',
    );
    expect(() => readSource({ blog: "https://example.com" }, "e")).toThrow(
      "e: a source names a seed, page, fault, sdk or reference",
    );
  });

  it("refuses an unknown basis", () => {
    expect(() => parseDifferences(entry(page, "trusted"))).toThrow(
      "reference-differences.yaml entry 1: basis must be one of seed, official-page, reference-fault, capped",
    );
  });

  it("takes the strongest source as the basis", () => {
    expect(strongestBasis([{ type: "sdk", url: "https://github.com/wechatpay-apiv3/x" }])).toBe(
      "capped",
    );
    expect(
      strongestBasis([
        { type: "fault", quote: "q" },
        { type: "page", url: "u", title: "t", quote: "q" },
      ]),
    ).toBe("official-page");
  });
});

describe("checking an entry against its sources", () => {
  const context = {
    statements: "limit on the merchants and items queries is an integer, not a string",
    reference: [],
    referenceKey: () => "",
  };
  const difference = (sources: Difference["sources"], basis: Difference["basis"]): Difference => ({
    kind: "type",
    at: ["GET /v3/marketing/favor/stocks/{stock_id}/items query.limit"],
    sources,
    basis,
    reason: "limit is an integer page size, as the reference itself admits.",
    reference: "favor-operations.json",
  });

  it("accepts a reference-fault quote found in the reference's own notes, whitespace aside", () => {
    const quote = "limit on the merchants and items queries\n  is an integer, not a string";
    expect(
      entryProblems(difference([{ type: "fault", quote }], "reference-fault"), context),
    ).toEqual([]);
  });

  it("names a quote the reference does not contain, and a basis the sources do not bear", () => {
    const problems = entryProblems(
      difference([{ type: "fault", quote: "limit is a string" }], "official-page"),
      context,
    );
    expect(problems).toEqual([
      `type GET /v3/marketing/favor/stocks/{stock_id}/items query.limit: the reference's about/notes do not contain "limit is a string"`,
      "type GET /v3/marketing/favor/stocks/{stock_id}/items query.limit: basis official-page, but its strongest source makes it reference-fault",
    ]);
  });
});

describe.skipIf(!existsSync(seedsDir))(
  "checking a seed quote against ../shared/seeds (needs ../shared beside the clone)",
  () => {
    const context = { statements: "", reference: [], referenceKey: () => "" };
    const seedEntry = (quote: string): Difference => ({
      kind: "range",
      at: ["POST /v3/marketing/busifavor/stocks body.stock_send_rule.max_coupons"],
      sources: [{ type: "seed", seed: "003", section: "§3.2.1", quote }],
      basis: "seed",
      reason: "max_coupons has the range the seed's important parameters give.",
      reference: "marketing-operations.json",
    });

    it("finds a verbatim quote and refuses a paraphrase", () => {
      expect(entryProblems(seedEntry("特殊规则:取值范围 1 ≤ value ≤ 1000000000"), context)).toEqual(
        [],
      );
      expect(entryProblems(seedEntry("取值范围 1 到 1000000000"), context)).toEqual([
        'range POST /v3/marketing/busifavor/stocks body.stock_send_rule.max_coupons: seed 003 does not contain "取值范围 1 到 1000000000"',
      ]);
    });
  },
);
