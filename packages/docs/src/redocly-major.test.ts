// Why the docs stay on Redocly CLI 1.34 while lint and bundle (specs, openapi) use 2.x: CLI 2's
// build-docs renders with Redoc 3, whose theming is CSS variables; it carries the Redoc 2 `theme`
// of specs/redocly.yaml into the page state but applies none of it (brand colour, right panel,
// sidebar width stay Redoc 3's defaults). The site's own patches (search that keeps Chinese, no
// CDN logo) are written against Redoc 2's standalone bundle too. This test renders the same
// document with the same redocly.yaml through CLI 2 and fails once CLI 2 applies the theme:
// then docs can move to one major.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { REDOCLY_CONFIG } from "./site-config.js";

const require = createRequire(import.meta.url);
const cliOf = (name: string) => {
  const manifest = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  return { bin: join(dirname(manifest), "bin/cli.js"), version };
};

/** The page's CSS and markup, without its scripts (Redoc 3 keeps the raw options in its state). */
const withoutScripts = (html: string) => html.replace(/<script\b[\s\S]*?<\/script>/gi, "");

/** Which of our theme settings (specs/redocly.yaml `openapi.theme`) the rendered page applies. */
function appliedTheme(html: string) {
  const page = withoutScripts(html);
  return {
    brandColour: /(?:color|background-color|border):\s*(?:1px solid )?#07C160/i.test(page),
    rightPanel: /background(?:-color)?:\s*#1f2b27/i.test(page),
    // `width`, not `max-width` of some other element.
    sidebar:
      /(?<![\w-])width:\s*300px/.test(page) && /background(?:-color)?:\s*#f6f8f7/i.test(page),
  };
}

describe("one Redocly major or two", () => {
  const all = { brandColour: true, rightPanel: true, sidebar: true };

  it("CLI 1.34 (the docs build) applies every theme setting of redocly.yaml", () => {
    expect(cliOf("@redocly/cli").version).toMatch(/^1\.34\./);
    const html = readFileSync(new URL("../dist/index.html", import.meta.url), "utf8");
    expect(appliedTheme(html)).toEqual(all);
  });

  it("CLI 2 renders Redoc 3 and applies none of them, so the docs stay on 1.34", () => {
    const cli = cliOf("@redocly/cli-v2");
    expect(cli.version).toMatch(/^2\./);
    const dir = mkdtempSync(join(tmpdir(), "redocly-v2-"));
    try {
      const output = join(dir, "index.html");
      execFileSync(
        process.execPath,
        [
          cli.bin,
          "build-docs",
          require.resolve("@wechatpay-marketing/openapi/openapi.json"),
          "--config",
          REDOCLY_CONFIG,
          "--lint-config",
          "off",
          "--output",
          output,
        ],
        {
          cwd: dir,
          stdio: ["ignore", "ignore", "pipe"],
          env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        },
      );
      const html = readFileSync(output, "utf8");
      expect(html).toMatch(/cdn\.redocly\.com\/redoc\/v3\./); // Redoc 3
      expect(html).toContain('"primary":{"main":"#07C160"}'); // the options reached the page state
      expect(appliedTheme(html)).toEqual({
        brandColour: false,
        rightPanel: false,
        sidebar: false,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
