import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CJK_FONT_FAMILY,
  CjkFontCoverageError,
  cjkCharacters,
  cjkFontHead,
  cjkFontLicenseText,
  cjkFontSource,
  fontCodePoints,
  subsetCjkFont,
  unicodeRange,
} from "./cjk-font.js";

/** The sorted, unique code points of a text. */
const cp = (text: string) =>
  [...new Set([...text].map((c) => c.codePointAt(0) as number))].sort((a, b) => a - b);

describe("cjkCharacters", () => {
  it("collects Han, CJK punctuation and full-width forms once each, sorted, and nothing Latin", () => {
    const html = `<p title="商家券">Redeem a user's coupon (核销用户券)、券 · — “x” ＡＢ。</p>`;
    expect(cjkCharacters(html)).toEqual(cp("商家券核销用户、ＡＢ。"));
  });

  it("counts a numeric character reference as its character", () => {
    expect(cjkCharacters("&#x6838;&#38144;&#X7528;&amp;")).toEqual(cp("核销用"));
  });
});

describe("unicodeRange", () => {
  it("names every code point, folding runs", () => {
    expect(unicodeRange([0x3001, 0x4e00, 0x4e09, 0x4e0a, 0x4e0b, 0x20000])).toBe(
      "U+3001,U+4E00,U+4E09-4E0B,U+20000",
    );
    expect(unicodeRange([])).toBe("");
  });
});

describe("subsetCjkFont", () => {
  it("keeps exactly the characters asked for, from the package's Noto Sans SC", async () => {
    const wanted = cp("核销用户券、");
    const source = readFileSync(cjkFontSource());
    const subset = await subsetCjkFont(wanted, source);
    expect(subset.subarray(0, 4).toString("latin1")).toBe("wOF2");
    expect(await fontCodePoints(subset)).toEqual(wanted);
    expect(subset.length).toBeLessThan(source.length / 50);
  });

  it("fails, naming the characters, when the source font lacks some", async () => {
    const rare = 0x2a6d6; // 𪛖, CJK Extension B: outside the chinese-simplified set
    const search = subsetCjkFont([...cp("券"), rare]);
    await expect(search).rejects.toThrow(CjkFontCoverageError);
    await expect(search).rejects.toThrow("1 CJK character(s)");
    await expect(search).rejects.toThrow("𪛖 (U+2A6D6)");
  });
});

describe("cjkFontHead and the license", () => {
  it("declares the font for exactly its characters", () => {
    const head = cjkFontHead({ href: "font.woff2", codePoints: cp("券核") });
    expect(head).toContain(`font-family: "${CJK_FONT_FAMILY}"`);
    expect(head).toContain('src: url("font.woff2") format("woff2")');
    expect(head).toContain("unicode-range: U+5238,U+6838;");
    expect(head).toContain("font-display: swap;");
  });

  it("carries the font's own copyright notice and the SIL Open Font License", async () => {
    const subset = await subsetCjkFont(cp("券"));
    const text = await cjkFontLicenseText(subset);
    expect(text).toContain("@fontsource/noto-sans-sc 5.3.0");
    expect(text).toMatch(/Copyright notice in the font: \(c\) 20\d\d-20\d\d Adobe/);
    expect(text).toContain("SIL OPEN FONT LICENSE Version 1.1");
  });
});
