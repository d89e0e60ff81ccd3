// Preloaded (`node --require`) into `redocly build-docs`, which builds Redoc's search index at build
// time with lunr. Two changes to how that index is made:
// - lunr's trimmer strips \W from both ends of every token, and every CJK character is \W, so
//   Chinese names (核销用户券) would be indexed as empty strings. This keeps letters and digits of
//   any script; the site's copy of the Redoc bundle gets the same trimmer for queries.
// - Redoc indexes an operation's name (`title`) and its description alike, so operations whose
//   descriptions merely mention 创建商家券 outranked the operation of that name. lunr scales a
//   field's term weights by the field's boost when it builds the index (a boost at query time
//   cannot do it: lunr normalises each field's query vector), so a name counts TITLE_BOOST times.
const { createRequire } = require("node:module");

const TITLE_BOOST = 10;

const cli = process.argv[1];
if (!cli) throw new Error("unicode-search-index: run as `node --require <this> <redocly cli>`");
const redoc = createRequire(cli).resolve("redoc");
const lunr = createRequire(redoc)("lunr");

/** @param {{ update(fn: (s: string) => string): unknown }} token */
function trimmer(token) {
  return token.update((/** @type {string} */ s) =>
    s.replace(/^[^\p{L}\p{N}_]+/u, "").replace(/[^\p{L}\p{N}_]+$/u, ""),
  );
}
// Same label as lunr's own, so a serialised pipeline names it the same way.
trimmer.label = "trimmer";
lunr.Pipeline.registeredFunctions.trimmer = trimmer;
lunr.trimmer = trimmer;

const field = lunr.Builder.prototype.field;
/**
 * @param {string} name
 * @param {{ boost?: number }} [attributes]
 */
lunr.Builder.prototype.field = function (name, attributes) {
  return field.call(
    this,
    name,
    name === "title" ? { boost: TITLE_BOOST, ...attributes } : attributes,
  );
};
