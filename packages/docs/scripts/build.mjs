// Builds the static reference site into dist/: the bundled document with a TypeScript sample on
// every operation, rendered by `redocly build-docs` (Redoc 2, prerendered) with Redoc served from
// the site itself. Every link and asset is relative, so dist/ can be hosted anywhere as is.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CJK_FONT_FILE,
  CJK_FONT_LICENSE_FILE,
  cjkCharacters,
  cjkFontHead,
  cjkFontLicenseText,
  subsetCjkFont,
} from "../src/cjk-font.js";
import { prepareDocsDocument } from "../src/docs-document.js";
import { quickStartSamples, sampleModules } from "../src/quick-start.js";
import {
  localizeRedocScript,
  patchStandalone,
  resolveRedoc,
  thirdPartyLoads,
} from "../src/redoc-bundle.js";
import { hideGroupHeadingsCss, repeatedGroupHeadings } from "../src/sidebar-groups.js";
import { readSiteConfig } from "../src/site-config.js";
import { formatProblems, typecheckSamples } from "../src/typecheck-samples.js";

const started = Date.now();
const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(pkgDir, "dist");
const work = join(pkgDir, ".build");
const require = createRequire(import.meta.url);
const STANDALONE = "redoc.standalone.js";

const bundledPath = require.resolve("@wechatpay-marketing/openapi/openapi.json");
const bundled = JSON.parse(readFileSync(bundledPath, "utf8"));
const config = readSiteConfig();
const redoc = resolveRedoc();

// Prerender and hydration must use one React, or hydration fails on the first difference.
const standaloneSource = readFileSync(redoc.standalone, "utf8");
if (!standaloneSource.includes(`"${redoc.reactVersion}"`)) {
  throw new Error(
    `build-docs prerenders with React ${redoc.reactVersion}, which redoc ${redoc.redocVersion}'s standalone bundle does not embed; pin react/react-dom to the bundle's version`,
  );
}

// 1. The docs copy of the document: samples, webhook names, logo; the spec itself is not touched.
const { document, samples } = prepareDocsDocument(bundled, { logo: config.logo });
// The samples import the Quick start's client.ts: they are checked against that very block, and
// the Quick start's own call with them.
const { problems } = typecheckSamples([...samples, ...quickStartSamples(bundled)], {
  modules: sampleModules(bundled),
});
if (problems.length > 0) {
  throw new Error(`generated code samples do not compile:\n${formatProblems(problems)}`);
}
const logoFile = config.logo ? basename(config.logo.image) : undefined;

rmSync(work, { recursive: true, force: true });
rmSync(dist, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
mkdirSync(dist, { recursive: true });
const docsDocument = join(work, "openapi.docs.json");
writeFileSync(docsDocument, JSON.stringify(document));
const redocOptions = join(work, "redoc-options.json");
// The download button links to the plain bundled document shipped beside the page.
writeFileSync(
  redocOptions,
  JSON.stringify({ downloadDefinitionUrl: "openapi.json", ...config.redocOptions }),
);

// 2. Render. The preload makes the build-time search index keep Chinese terms.
const args = [
  "--require",
  join(pkgDir, "scripts/unicode-search-index.cjs"),
  redoc.cliBin,
  "build-docs",
  docsDocument,
  "--output",
  join(dist, "index.html"),
  "--template",
  join(pkgDir, "site/template.hbs"),
  "--theme.openapi",
  redocOptions,
  "--lint-config",
  "off",
];
if (config.title) args.push("--title", config.title);
if (config.description) args.push("--templateOptions.description", config.description);
if (logoFile) args.push("--templateOptions.icon", logoFile);
try {
  execFileSync(process.execPath, args, {
    cwd: work, // no redocly.yaml here: every docs setting is passed explicitly
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
} catch (error) {
  const e = /** @type {{ stdout?: Buffer, stderr?: Buffer }} */ (error);
  process.stderr.write(`${e.stdout ?? ""}${e.stderr ?? ""}`);
  throw error;
}

// 3. Serve Redoc from the site: the page's only script comes from beside it.
const indexPath = join(dist, "index.html");
const rendered = localizeRedocScript(readFileSync(indexPath, "utf8"), {
  redocVersion: redoc.redocVersion,
  src: STANDALONE,
});

// 4. Chinese without system fonts: a font subset to exactly the CJK characters of the page.
const FONT_SLOT = /<!-- cjk-font:[^>]*-->/g;
if ((rendered.match(FONT_SLOT) ?? []).length !== 1) {
  throw new Error("site/template.hbs must hold the `<!-- cjk-font: ... -->` slot exactly once");
}
const codePoints = cjkCharacters(rendered);
const font = await subsetCjkFont(codePoints);
writeFileSync(join(dist, CJK_FONT_FILE), font);
writeFileSync(join(dist, CJK_FONT_LICENSE_FILE), await cjkFontLicenseText(font));
const GROUPS_SLOT = /<!-- sidebar-groups:[^>]*-->/g;
if ((rendered.match(GROUPS_SLOT) ?? []).length !== 1) {
  throw new Error(
    "site/template.hbs must hold the `<!-- sidebar-groups: ... -->` slot exactly once",
  );
}
const groupsCss = hideGroupHeadingsCss(repeatedGroupHeadings(rendered));
const html = rendered
  .replace(FONT_SLOT, cjkFontHead({ href: CJK_FONT_FILE, codePoints }))
  .replace(GROUPS_SLOT, groupsCss ? `<style>\n${groupsCss}\n</style>` : "");
const outside = thirdPartyLoads(html);
if (outside.length > 0)
  throw new Error(`the page would load from other hosts: ${outside.join(", ")}`);
writeFileSync(indexPath, html);
writeFileSync(join(dist, STANDALONE), patchStandalone(standaloneSource));
copyFileSync(redoc.standaloneLicense, join(dist, `${STANDALONE}.LICENSE.txt`));
copyFileSync(bundledPath, join(dist, "openapi.json"));
if (config.logo && logoFile) copyFileSync(config.logo.image, join(dist, logoFile));

const operations = samples.filter((s) => s.kind === "operation").length;
const webhooks = samples.length - operations;
console.log(
  `docs: ${operations} operations + ${webhooks} webhooks, each with a type-checked TypeScript sample; redocly build-docs ${redoc.cliVersion} (Redoc ${redoc.redocVersion}); CJK font subset ${codePoints.length} characters, ${font.length} B -> dist/ in ${Date.now() - started} ms`,
);
