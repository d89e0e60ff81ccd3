// Reads reference-differences.yaml: every deliberate difference between the document and a
// reference file, with the kind of difference, where it is, its sources and the reason.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { specsDir } from "./bundle.js";
import { KINDS, type Kind } from "./fields.js";

export interface Difference {
  kind: Kind;
  /** `METHOD /path field` (or `webhook EVENT.TYPE field`), one per place that differs. */
  at: string[];
  /** Seeds (`seed 003 …`), official pages or official SDKs that back the document's choice. */
  sources: string[];
  reason: string;
  /** The reference file the entry is about. */
  reference: string;
}

interface RawEntry {
  kind?: unknown;
  at?: unknown;
  source?: unknown;
  reason?: unknown;
  reference?: unknown;
}

/** `reference: METHOD /path field`: the reference's own statement elsewhere. */
export const REFERENCE_SOURCE = /^reference: ((?:GET|POST|PATCH|DELETE) \S+|webhook \S+) (\S+)$/;

/**
 * What counts as a source: a seed document (../shared/seeds, `seed 000`…`seed 004`), a page of the
 * official documentation, WeChat Pay's own SDKs (generated from its API definitions), or the
 * reference itself where it states the document's fact for the same object in another operation
 * (`reference: METHOD /path field`, checked to exist).
 */
export const SOURCE_PATTERNS: readonly RegExp[] = [
  /^seed 00[0-4]\b/,
  /^https:\/\/pay\.weixin\.qq\.com\//,
  /^https:\/\/github\.com\/wechatpay-apiv3\//,
  REFERENCE_SOURCE,
];

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);

export const REGISTRY = join(specsDir, "reference-differences.yaml");

export function readDifferences(): Difference[] {
  const raw = (parse(readFileSync(REGISTRY, "utf8")) ?? []) as RawEntry[];
  return raw.map((entry, index) => {
    const where = `reference-differences.yaml entry ${index + 1}`;
    if (!KINDS.includes(entry.kind as Kind))
      throw new Error(`${where}: kind must be one of ${KINDS.join(", ")}`);
    const at = list(entry.at);
    const sources = list(entry.source);
    if (at.length === 0) throw new Error(`${where}: "at" names no place`);
    if (sources.length === 0) throw new Error(`${where}: no source`);
    if (typeof entry.reason !== "string") throw new Error(`${where}: no reason`);
    return {
      kind: entry.kind as Kind,
      at,
      sources,
      reason: entry.reason,
      reference:
        typeof entry.reference === "string" ? entry.reference : "marketing-operations.json",
    };
  });
}

export const differenceKey = (at: string, kind: Kind) => `${kind} ${at}`;
