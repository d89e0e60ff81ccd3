import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  localizeRedocScript,
  patchStandalone,
  resolveRedoc,
  thirdPartyLoads,
} from "./redoc-bundle.js";

const redoc = resolveRedoc();

describe("Redoc served from the site", () => {
  it("renders with one React for prerender and hydration", () => {
    expect(readFileSync(redoc.standalone, "utf8")).toContain(`"${redoc.reactVersion}"`);
    expect(redoc.redocVersion).toMatch(/^2\./);
  });

  it("patches the standalone bundle: no CDN logo, Unicode-aware search terms", () => {
    const source = readFileSync(redoc.standalone, "utf8");
    const patched = patchStandalone(source);
    expect(patched).not.toContain("cdn.redoc.ly");
    expect(patched).not.toContain("\n//# sourceMappingURL=redoc.standalone.js.map");
    expect(patched).toContain(String.raw`/^[^\\p{L}\\p{N}_]+/u`);
    // The worker keeps one-character Chinese terms and weighs an exact name above longer ones.
    expect(patched).toContain(String.raw`if(1===e.length&&!/\\p{Script=Han}/u.test(e))return;`);
    expect(patched).toContain('t.term(r.slice(1,-1),{fields:["title"],boost:10});t.term(r,{})');
    expect(patched.length - source.length).toBeLessThan(400);
    // A Redoc whose code moved fails loudly instead of shipping unpatched.
    expect(() => patchStandalone(patched)).toThrow(/expected the code to patch/);
  });

  it("swaps the CDN script for a deferred local one, exactly once", () => {
    const cdn = `<script src="https://cdn.redocly.com/redoc/v${redoc.redocVersion}/bundles/redoc.standalone.js"></script>`;
    const html = `<head>${cdn}<style></style></head>`;
    expect(
      localizeRedocScript(html, { redocVersion: redoc.redocVersion, src: "redoc.standalone.js" }),
    ).toBe('<head><script src="redoc.standalone.js" defer></script><style></style></head>');
    expect(() =>
      localizeRedocScript("<head></head>", { redocVersion: redoc.redocVersion, src: "x.js" }),
    ).toThrow(/found 0/);
  });

  it("finds loads from other hosts but not plain links", () => {
    expect(
      thirdPartyLoads(
        [
          '<a href="https://pay.weixin.qq.com">link</a>',
          '<script src="redoc.standalone.js"></script>',
          '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
          "<img src='//cdn.example.org/x.png'>",
          "<style>@import url(https://fonts.example.org/a.css);</style>",
        ].join(""),
      ),
    ).toEqual([
      "https://fonts.googleapis.com/css?family=Roboto",
      "//cdn.example.org/x.png",
      "https://fonts.example.org/a.css",
    ]);
  });
});
