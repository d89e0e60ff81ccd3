// @ts-check
// Redoc's standalone bundle, served from the site itself instead of Redocly's CDN.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * Where redocly build-docs and the Redoc it renders with live. The standalone bundle is taken from
 * that same Redoc, so the prerendered page and the script that hydrates it are one version.
 */
export function resolveRedoc() {
  const cliPackage = require.resolve("@redocly/cli/package.json");
  const cliDir = dirname(cliPackage);
  const fromCli = createRequire(cliPackage);
  const redocPackage = fromCli.resolve("redoc/package.json");
  const redocDir = dirname(redocPackage);
  const reactPackage = fromCli.resolve("react/package.json");
  return {
    cliBin: join(cliDir, "bin/cli.js"),
    cliVersion: /** @type {string} */ (JSON.parse(readFileSync(cliPackage, "utf8")).version),
    redocVersion: /** @type {string} */ (JSON.parse(readFileSync(redocPackage, "utf8")).version),
    /** The React that build-docs prerenders with. */
    reactVersion: /** @type {string} */ (JSON.parse(readFileSync(reactPackage, "utf8")).version),
    standalone: join(redocDir, "bundles/redoc.standalone.js"),
    standaloneLicense: join(redocDir, "bundles/redoc.standalone.js.LICENSE.txt"),
  };
}

/**
 * Each patch must apply exactly once: a Redoc upgrade that moves the code fails the build here
 * instead of shipping a page that calls a third-party host or cannot search Chinese.
 * @type {{ why: string, find: string, replace: string }[]}
 */
const STANDALONE_PATCHES = [
  {
    why: "the 'API docs by Redocly' footer loads its logo from cdn.redoc.ly; the text link stays",
    find: 'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"',
    replace: 'src:""',
  },
  {
    // lunr's trimmer strips \W from both ends of a token, and every CJK character is \W, so a
    // Chinese name such as 核销用户券 was indexed and searched as an empty string (matching
    // everything). Letters and digits of any script are kept instead. This code sits inside the
    // search worker's source string, hence the doubled backslashes.
    why: "search: keep Chinese (any Unicode letter) when trimming query terms",
    find: String.raw`e.replace(/^\\W+/,"").replace(/\\W+$/,"")`,
    replace: String.raw`e.replace(/^[^\\p{L}\\p{N}_]+/u,"").replace(/[^\\p{L}\\p{N}_]+$/u,"")`,
  },
  {
    // Redoc's search worker drops one-character terms (a lone Latin letter would match nearly
    // every word), and with them a one-character Chinese query such as 券: those are kept. And a
    // query term that is a whole name (创建商家券) weighs more than the longer names it is part
    // of, so the operation of that exact name ranks first; names already outweigh descriptions
    // in the index (scripts/unicode-search-index.cjs).
    why: "search: one-character Chinese terms, and an exact name ranked above longer names",
    find: "forEach(e=>{if(1===e.length)return;const r=l(e);t.term(r,{})})",
    replace: String.raw`forEach(e=>{if(1===e.length&&!/\\p{Script=Han}/u.test(e))return;const r=l(e);t.term(r.slice(1,-1),{fields:["title"],boost:10});t.term(r,{})})`,
  },
  {
    // Redoc's npm package ships no redoc.standalone.js.map, so the site has none to serve.
    why: "the bundle's last line names a source map the site does not ship",
    find: "\n//# sourceMappingURL=redoc.standalone.js.map",
    replace: "\n",
  },
];

/**
 * @param {string} source the standalone bundle
 * @returns {string}
 */
export function patchStandalone(source) {
  let out = source;
  for (const patch of STANDALONE_PATCHES) {
    const count = out.split(patch.find).length - 1;
    if (count !== 1) {
      throw new Error(
        `redoc.standalone.js: expected the code to patch (${patch.why}) once, found it ${count} times`,
      );
    }
    out = out.replace(patch.find, patch.replace);
  }
  return out;
}

/**
 * Points the page at the site's own copy of the bundle, deferred so that the prerendered reference
 * paints before the script arrives (the template replays the hydrate call).
 * @param {string} html build-docs output
 * @param {{ redocVersion: string, src: string }} options
 */
export function localizeRedocScript(html, { redocVersion, src }) {
  const cdnTag = `<script src="https://cdn.redocly.com/redoc/v${redocVersion}/bundles/redoc.standalone.js"></script>`;
  const count = html.split(cdnTag).length - 1;
  if (count !== 1) {
    throw new Error(`build-docs output: expected one Redoc CDN script tag, found ${count}`);
  }
  return html.replace(cdnTag, `<script src="${src}" defer></script>`);
}

/**
 * Resources the page loads (script, link, img, iframe, source, object) that point at another host.
 * Plain `<a href>` links are not loads and are allowed.
 * @param {string} html
 * @returns {string[]}
 */
export function thirdPartyLoads(html) {
  const found = [];
  const tag = /<(script|link|img|iframe|source|object|embed)\b[^>]*>/gi;
  for (const match of html.matchAll(tag)) {
    const attr =
      /\b(?:src|href|data|srcset)\s*=\s*["']?\s*((?:[a-z][a-z0-9+.-]*:)?\/\/[^"'\s>]+)/i.exec(
        match[0],
      );
    if (attr?.[1]) found.push(attr[1]);
  }
  for (const match of html.matchAll(/@import\s+(?:url\()?["']?((?:https?:)?\/\/[^"')\s]+)/gi)) {
    if (match[1]) found.push(match[1]);
  }
  return found;
}
