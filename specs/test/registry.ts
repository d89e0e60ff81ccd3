// Reads reference-differences.yaml: every deliberate difference between the document and a
// reference file, with the kind of difference, where it is, its sources, its basis and the reason.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { specsDir } from "./bundle.js";
import { KINDS, type Kind } from "./fields.js";

/**
 * What a difference rests on, strongest first. `seed` and `reference-fault` quote text the
 * coverage test finds verbatim (in ../shared/seeds, in the reference's own `about`/`notes`);
 * `official-page` quotes a page on pay.weixin.qq.com (read through the search tool, not
 * re-fetched by the test); `capped` is everything else (WeChat Pay's SDKs, the reference's own
 * statement elsewhere), and at most 1 % of the compared fields may rest on it.
 */
export const BASES = ["seed", "official-page", "reference-fault", "capped"] as const;
export type Basis = (typeof BASES)[number];

/** A seed document, its section and a quote from it. */
export interface SeedSource {
  type: "seed";
  /** The seed's number, `000`…`004`: the file ../shared/seeds/<seed>_*.txt. */
  seed: string;
  section: string;
  quote: string;
}
/** A page of the official documentation and a quote from it. */
export interface PageSource {
  type: "page";
  url: string;
  title: string;
  quote: string;
}
/** The reference's own word that it is wrong here: a quote of its `about` or of a `notes` entry. */
export interface FaultSource {
  type: "fault";
  quote: string;
}
/** One of WeChat Pay's SDKs (generated from its API definitions). */
export interface SdkSource {
  type: "sdk";
  url: string;
}
/** The reference's own statement of the fact for the same object in another operation. */
export interface ReferenceFieldSource {
  type: "reference-field";
  operation: string;
  field: string;
}
export type Source = SeedSource | PageSource | FaultSource | SdkSource | ReferenceFieldSource;

export interface Difference {
  kind: Kind;
  /** `METHOD /path field` (or `webhook EVENT.TYPE field`), one per place that differs. */
  at: string[];
  sources: Source[];
  /** What the entry claims to rest on; the coverage test checks that its sources bear it out. */
  basis: Basis;
  reason: string;
  /** The reference file the entry is about. */
  reference: string;
}

/** The basis each kind of source can carry (quotes are verified by the coverage test). */
export const BASIS_OF: Record<Source["type"], Basis> = {
  seed: "seed",
  page: "official-page",
  fault: "reference-fault",
  sdk: "capped",
  "reference-field": "capped",
};

/** The strongest basis among an entry's sources. */
export const strongestBasis = (sources: readonly Source[]): Basis =>
  BASES.find((basis) => sources.some((s) => BASIS_OF[s.type] === basis)) ?? "capped";

const PAGE_URL = /^https:\/\/pay\.weixin\.qq\.com\/\S+$/;
const SDK_URL = /^https:\/\/github\.com\/wechatpay-apiv3\/\S+$/;
const SEED = /^00[0-4]$/;
const REFERENCE_FIELD = /^((?:GET|POST|PATCH|DELETE) \S+|webhook \S+) (\S+)$/;

const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

const text = (raw: Record<string, unknown>, key: string, where: string): string => {
  const value = raw[key];
  if (typeof value !== "string" || value.trim() === "")
    throw new Error(`${where}: "${key}" must be a non-empty string`);
  return value;
};

/** One `source` item: an object with exactly one of `seed`, `page`, `fault`, `sdk`, `reference`. */
export function readSource(raw: unknown, where: string): Source {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new Error(`${where}: a source is an object (seed, page, fault, sdk or reference)`);
  const entry = raw as Record<string, unknown>;
  if ("seed" in entry) {
    const seed = String(entry.seed);
    if (!SEED.test(seed)) throw new Error(`${where}: seed must be 000…004, not "${seed}"`);
    return {
      type: "seed",
      seed,
      section: text(entry, "section", where),
      quote: text(entry, "quote", where),
    };
  }
  if ("page" in entry) {
    const url = text(entry, "page", where);
    if (!PAGE_URL.test(url)) throw new Error(`${where}: "${url}" is not a pay.weixin.qq.com page`);
    return {
      type: "page",
      url,
      title: text(entry, "title", where),
      quote: text(entry, "quote", where),
    };
  }
  if ("fault" in entry) return { type: "fault", quote: text(entry, "fault", where) };
  if ("sdk" in entry) {
    const url = text(entry, "sdk", where);
    if (!SDK_URL.test(url))
      throw new Error(
        `${where}: "${url}" is not one of WeChat Pay's SDKs (github.com/wechatpay-apiv3)`,
      );
    return { type: "sdk", url };
  }
  if ("reference" in entry) {
    const cited = text(entry, "reference", where).match(REFERENCE_FIELD);
    if (!cited) throw new Error(`${where}: reference must read "METHOD /path field"`);
    return { type: "reference-field", operation: cited[1] as string, field: cited[2] as string };
  }
  throw new Error(`${where}: a source names a seed, page, fault, sdk or reference`);
}

export const REGISTRY = join(specsDir, "reference-differences.yaml");

export const readDifferences = (): Difference[] => parseDifferences(readFileSync(REGISTRY, "utf8"));

/** The registry's entries, or an error naming the entry and what is wrong with it. */
export function parseDifferences(yaml: string): Difference[] {
  const raw = (parse(yaml) ?? []) as Record<string, unknown>[];
  return raw.map((entry, index) => {
    const where = `reference-differences.yaml entry ${index + 1}`;
    if (!KINDS.includes(entry.kind as Kind))
      throw new Error(`${where}: kind must be one of ${KINDS.join(", ")}`);
    if (!BASES.includes(entry.basis as Basis))
      throw new Error(`${where}: basis must be one of ${BASES.join(", ")}`);
    const at = list(entry.at).map(String);
    const sources = list(entry.source).map((s, i) => readSource(s, `${where}, source ${i + 1}`));
    if (at.length === 0) throw new Error(`${where}: "at" names no place`);
    if (sources.length === 0) throw new Error(`${where}: no source`);
    return {
      kind: entry.kind as Kind,
      at,
      sources,
      basis: entry.basis as Basis,
      reason: text(entry, "reason", where),
      reference:
        typeof entry.reference === "string" ? entry.reference : "marketing-operations.json",
    };
  });
}

export const differenceKey = (at: string, kind: Kind) => `${kind} ${at}`;

/** Whitespace differs between a quote and its source (line breaks, table padding), nothing else. */
export const normaliseWhitespace = (value: string) => value.replace(/\s+/g, " ").trim();
