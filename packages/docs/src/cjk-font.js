// @ts-check
// The site brings its own Chinese glyphs, so a reader (or a headless browser) without CJK system
// fonts sees text rather than boxes: a subset of Noto Sans SC (SIL OFL 1.1, from the npm package
// @fontsource/noto-sans-sc) that holds exactly the CJK characters of the built page, made at
// build time with harfbuzz (subset-font). Its @font-face declares those characters as its
// unicode-range, so Latin text keeps the system fonts.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { convert as convertFont } from "fontverter";
import { Blob, Face } from "harfbuzzjs";
import subsetFont from "subset-font";

const require = createRequire(import.meta.url);

export const CJK_FONT_FAMILY = "Noto Sans SC";
export const CJK_FONT_FILE = "noto-sans-sc-subset.woff2";
export const CJK_FONT_LICENSE_FILE = "noto-sans-sc.LICENSE.txt";

/** Fontsource's `chinese-simplified` file of the regular weight: about 7,900 characters. */
const SOURCE = "@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff2";

export const cjkFontSource = () => require.resolve(SOURCE);

/** Han ideographs, kana, bopomofo, CJK punctuation and full-width forms. */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef]/u;

/** Thrown when the site uses CJK characters that the source font does not have. */
export class CjkFontCoverageError extends Error {
  /** @param {number[]} missing code points */
  constructor(missing) {
    const chars = missing.map((c) => `${String.fromCodePoint(c)} (U+${hex(c)})`).join(", ");
    super(
      `the docs use ${missing.length} CJK character(s) that ${SOURCE} does not have: ${chars}. ` +
        "Reword the text, or take these from one of the package's numbered unicode-range files",
    );
    this.name = "CjkFontCoverageError";
    this.missing = missing;
  }
}

/** @param {number} codePoint */
const hex = (codePoint) => codePoint.toString(16).toUpperCase().padStart(4, "0");

/**
 * The CJK characters of an HTML page (text, attributes and the embedded Redoc state alike), as
 * sorted code points. Numeric character references count as the characters they stand for.
 * @param {string} html
 * @returns {number[]}
 */
export function cjkCharacters(html) {
  const text = html.replace(/&#(x[0-9a-f]+|[0-9]+);/gi, (_, ref) =>
    String.fromCodePoint(ref[0].toLowerCase() === "x" ? Number.parseInt(ref.slice(1), 16) : +ref),
  );
  const found = new Set();
  for (const char of text)
    if (CJK.test(char)) found.add(/** @type {number} */ (char.codePointAt(0)));
  return [...found].sort((a, b) => a - b);
}

/**
 * A CSS unicode-range naming exactly these code points, runs folded: `U+4E00-4E01,U+4E09`.
 * @param {number[]} codePoints sorted, unique
 */
export function unicodeRange(codePoints) {
  /** @type {[number, number][]} */
  const runs = [];
  for (const c of codePoints) {
    const last = runs[runs.length - 1];
    if (last && c === last[1] + 1) last[1] = c;
    else runs.push([c, c]);
  }
  return runs.map(([a, b]) => (a === b ? `U+${hex(a)}` : `U+${hex(a)}-${hex(b)}`)).join(",");
}

/**
 * @param {Uint8Array} font WOFF2, WOFF or SFNT
 * @returns {Promise<Face>}
 */
async function openFace(font) {
  const sfnt = await convertFont(Buffer.from(font), "sfnt");
  // harfbuzzjs frees the wasm memory of a face and its blob when they are garbage-collected.
  return new Face(new Blob(sfnt));
}

/**
 * The code points a font maps to glyphs (its cmap), read by harfbuzz.
 * @param {Uint8Array} font WOFF2, WOFF or SFNT
 * @returns {Promise<number[]>}
 */
export async function fontCodePoints(font) {
  return [...(await openFace(font)).collectUnicodes()].sort((a, b) => a - b);
}

/**
 * A name-table entry in English: 0 is the copyright notice, 6 the PostScript name.
 * @param {Uint8Array} font
 * @param {number} nameId
 */
export async function fontName(font, nameId) {
  return (await openFace(font)).getName(nameId, "en");
}

/**
 * The license shipped beside the subset (the OFL asks for it with every copy): what the file is,
 * the copyright notice the font itself carries, and the package's OFL text.
 * @param {Uint8Array} font the subset
 */
export async function cjkFontLicenseText(font) {
  const { version } = require("@fontsource/noto-sans-sc/package.json");
  const ofl = readFileSync(require.resolve("@fontsource/noto-sans-sc/LICENSE"), "utf8");
  return [
    `${CJK_FONT_FILE}: ${CJK_FONT_FAMILY}, subset to the CJK characters of this site from the npm package @fontsource/noto-sans-sc ${version}.`,
    `Copyright notice in the font: ${await fontName(font, 0)}`,
    "",
    ofl,
  ].join("\n");
}

/**
 * Subsets the source font to these code points as WOFF2. Fails, naming them, if the source lacks
 * any: a dropped character would quietly render as a box for readers without CJK fonts.
 * @param {number[]} codePoints
 * @param {Uint8Array} [source] defaults to the package's font file
 * @returns {Promise<Buffer>}
 */
export async function subsetCjkFont(codePoints, source = readFileSync(cjkFontSource())) {
  const sfnt = await subsetFont(Buffer.from(source), String.fromCodePoint(...codePoints), {
    targetFormat: "sfnt",
  });
  const covered = new Set(await fontCodePoints(sfnt));
  const missing = codePoints.filter((c) => !covered.has(c));
  if (missing.length > 0) throw new CjkFontCoverageError(missing);
  return convertFont(sfnt, "woff2");
}

/**
 * The page-head markup for the font: its @font-face. No preload: Chromium holds the first paint
 * for a preloaded font (first contentful paint 190 -> 660 ms in the docs bench), while a swap
 * paints the prerendered page at once and redraws its Chinese when the font arrives.
 * @param {{ href: string, codePoints: number[] }} font
 */
export function cjkFontHead({ href, codePoints }) {
  return [
    "<style>",
    `@font-face { font-family: "${CJK_FONT_FAMILY}"; src: url("${href}") format("woff2"); font-weight: 400; font-style: normal; font-display: swap; unicode-range: ${unicodeRange(codePoints)}; }`,
    "</style>",
  ].join("\n  ");
}
