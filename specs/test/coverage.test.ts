import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bundleDocument,
  type JsonObject,
  listOperations,
  sharedReferenceFile,
  specsDir,
} from "./bundle.js";
import { entryProblems, referenceStatements } from "./evidence.js";
import {
  collectStated,
  compareFields,
  type FieldDifference,
  type FieldMap,
  KINDS,
  type Kind,
  type RefOperation,
  referenceFields,
  specFields,
} from "./fields.js";
import { BASES, type Basis, type Difference, differenceKey, readDifferences } from "./registry.js";

/** A reference file and the document operations it speaks for. */
interface ReferenceScope {
  file: string;
  /** Which document paths the reference must describe, so that none is invented. */
  covers: (path: string) => boolean;
}

const isFavorPath = (path: string) =>
  path.startsWith("/v3/marketing/favor/") && !path.startsWith("/v3/marketing/favor/media/");

const SCOPES: ReferenceScope[] = [
  // The three product areas and the marketing image upload (which lives under /favor/media/).
  { file: "marketing-operations.json", covers: (path) => !isFavorPath(path) },
  // The cash coupons (代金券) and their COUPON.USE notification.
  { file: "favor-operations.json", covers: isFavorPath },
];

/**
 * At most this share of the compared fields may differ on a `capped` basis (WeChat Pay's SDKs or
 * the reference's own word elsewhere), per reference file and overall; every other difference
 * quotes a seed, an official page or the reference's own admission of a fault.
 */
const CAPPED_SHARE_LIMIT = 0.01;
const README = join(specsDir, "README.md");

interface Figures {
  file: string;
  operations: number;
  fields: number;
  differing: number;
  byKind: Record<Kind, number>;
  entries: number;
  /** Distinct fields listed under each basis (a field listed twice counts under both). */
  byBasis: Record<Basis, number>;
  unlisted: number;
}

/** The README line of a scope's figures, which the cap test keeps equal to what it measures. */
const figuresLine = (r: Figures) =>
  `- \`${r.file}\`: ${r.operations} operations, ${r.fields} fields compared, ${r.differing} differ ` +
  `(${percent(r.differing, r.fields)}): ${KINDS.map((k) => `${k} ${r.byKind[k]}`).join(", ")}; ` +
  `${r.entries} entries in reference-differences.yaml; fields by basis: ` +
  `${BASES.map((b) => `${b} ${r.byBasis[b]}`).join(", ")} (capped ${percent(r.byBasis.capped, r.fields)}); ` +
  `unlisted ${r.unlisted}.`;

/** The README line of both files together. */
const overallLine = (all: Figures[]) => {
  const fields = all.reduce((n, r) => n + r.fields, 0);
  const capped = all.reduce((n, r) => n + r.byBasis.capped, 0);
  return `- Overall: ${fields} fields compared, ${capped} on a capped basis (${percent(capped, fields)}).`;
};

const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(2)} %`;

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
const referenceKey = (r: RefOperation) =>
  r.eventType ? `webhook ${r.eventType}` : key(String(r.method), String(r.path));

interface Entry {
  key: string;
  path: string;
  operation: JsonObject;
  pathItem?: JsonObject;
}

/** Document operations and webhooks, as `METHOD /path` and `webhook EVENT.TYPE` keys. */
function documentEntries(doc: JsonObject): Entry[] {
  const paths = doc.paths as Record<string, JsonObject>;
  const operations = listOperations(doc).map(({ method, path, operation }) => ({
    key: key(method, path),
    path,
    operation,
    pathItem: paths[path],
  }));
  const webhooks = Object.entries((doc.webhooks ?? {}) as Record<string, JsonObject>).flatMap(
    ([event, item]) =>
      item.post ? [{ key: `webhook ${event}`, path: "", operation: item.post as JsonObject }] : [],
  );
  return [...operations, ...webhooks];
}

interface Compared {
  key: string;
  spec: FieldMap;
  reference: FieldMap;
  differences: FieldDifference[];
}

/** One reference file against the document: what is compared, what differs, what is listed. */
interface Measured {
  doc: JsonObject;
  reference: RefOperation[];
  events: Set<string>;
  statements: string;
  listed: Difference[];
  compared: Compared[];
}

let bundled: JsonObject | undefined;
const measured = new Map<string, Measured>();

/** Measures a scope once, however many tests ask (the overall figure asks for both). */
function measure(scope: ReferenceScope): Measured {
  const known = measured.get(scope.file);
  if (known) return known;
  bundled ??= bundleDocument();
  const doc = bundled;
  const json = JSON.parse(readFileSync(sharedReferenceFile(scope.file), "utf8")) as {
    operations: RefOperation[];
    webhooks?: RefOperation[];
  };
  const reference = [...json.operations, ...(json.webhooks ?? [])];
  const pairs = documentEntries(doc).flatMap((entry) => {
    const ref = reference.find((r) => referenceKey(r) === entry.key);
    if (!ref) return [];
    return [
      {
        key: entry.key,
        spec: specFields(doc, entry.key, entry.operation, entry.pathItem),
        reference: referenceFields(ref),
      },
    ];
  });
  const stated = collectStated(pairs);
  const result: Measured = {
    doc,
    reference,
    events: new Set((json.webhooks ?? []).map(referenceKey)),
    statements: referenceStatements(json),
    listed: readDifferences().filter((d) => d.reference === scope.file),
    compared: pairs.map((p) => ({ ...p, differences: compareFields(p.spec, p.reference, stated) })),
  };
  measured.set(scope.file, result);
  return result;
}

const liveDifferences = (m: Measured) =>
  m.compared.flatMap((c) => c.differences.map((d) => ({ ...d, operation: c.key })));

const listedKeys = (m: Measured) =>
  new Set(m.listed.flatMap((d) => d.at.map((at) => differenceKey(at, d.kind))));

function figuresOf(scope: ReferenceScope): Figures {
  const m = measure(scope);
  const live = liveDifferences(m);
  const known = listedKeys(m);
  const fieldsUnder = (basis: Basis) =>
    new Set(m.listed.filter((d) => d.basis === basis).flatMap((d) => d.at)).size;
  return {
    file: scope.file,
    operations: m.compared.length,
    fields: m.compared.reduce(
      (n, c) => n + new Set([...c.spec.keys(), ...c.reference.keys()]).size,
      0,
    ),
    differing: new Set(live.map((d) => `${d.operation} ${d.field}`)).size,
    byKind: Object.fromEntries(
      KINDS.map((k) => [k, live.filter((d) => d.kind === k).length]),
    ) as Record<Kind, number>,
    entries: m.listed.length,
    byBasis: Object.fromEntries(BASES.map((b) => [b, fieldsUnder(b)])) as Record<Basis, number>,
    unlisted: live.filter((d) => !known.has(differenceKey(`${d.operation} ${d.field}`, d.kind)))
      .length,
  };
}

const hasReferences = SCOPES.every((scope) => existsSync(sharedReferenceFile(scope.file)));

for (const scope of SCOPES) {
  describe.skipIf(!existsSync(sharedReferenceFile(scope.file)))(
    `coverage of ${scope.file} in both directions (needs ../shared beside the clone)`,
    () => {
      let m: Measured;
      beforeAll(() => {
        m = measure(scope);
      }, 60_000);

      const inScope = () =>
        documentEntries(m.doc).filter((e) => (e.path ? scope.covers(e.path) : m.events.has(e.key)));

      it("covers every operation of the reference, and invents none in its area", () => {
        const documented = new Set(documentEntries(m.doc).map((e) => e.key));
        const described = new Set(m.reference.map(referenceKey));
        expect([...described].filter((k) => !documented.has(k))).toEqual([]);
        expect(
          inScope()
            .map((e) => e.key)
            .filter((k) => !described.has(k)),
        ).toEqual([]);
      });

      it("lists every difference in either direction (fields, required, type, enum, format, length, range, items)", () => {
        const known = listedKeys(m);
        const unlisted = liveDifferences(m)
          .filter((d) => !known.has(differenceKey(`${d.operation} ${d.field}`, d.kind)))
          .map(
            (d) =>
              `${d.operation} ${d.field} ${d.kind}: document ${d.spec}, reference ${d.reference}`,
          );
        expect(unlisted).toEqual([]);
      });

      it("lists no difference that no longer exists", () => {
        const current = new Set(
          liveDifferences(m).map((d) => differenceKey(`${d.operation} ${d.field}`, d.kind)),
        );
        const stale = m.listed.flatMap((d) =>
          d.at
            .filter((at) => !current.has(differenceKey(at, d.kind)))
            .map((at) => `${d.kind} ${at}`),
        );
        expect(stale).toEqual([]);
      });

      it("gives each difference a basis its sources bear out: seed and reference-fault quotes found verbatim", () => {
        const context = { statements: m.statements, reference: m.reference, referenceKey };
        expect(m.listed.flatMap((entry) => entryProblems(entry, context))).toEqual([]);
      });

      it(`rests at most ${CAPPED_SHARE_LIMIT * 100} % of the fields on a capped basis, and the README states the figures`, () => {
        const figures = figuresOf(scope);
        const line = figuresLine(figures);
        console.info(`coverage ${line.slice(2)}`);
        expect(figures.unlisted, line).toBe(0);
        expect(figures.byBasis.capped / figures.fields, line).toBeLessThanOrEqual(
          CAPPED_SHARE_LIMIT,
        );
        expect(readFileSync(README, "utf8").includes(line), `README.md states: ${line}`).toBe(true);
      });
    },
  );
}

describe.skipIf(!hasReferences)(
  "coverage of both reference files together (needs ../shared beside the clone)",
  () => {
    it(`rests at most ${CAPPED_SHARE_LIMIT * 100} % of all compared fields on a capped basis`, () => {
      const all = SCOPES.map(figuresOf);
      const line = overallLine(all);
      console.info(`coverage ${line.slice(2)}`);
      const fields = all.reduce((n, r) => n + r.fields, 0);
      const capped = all.reduce((n, r) => n + r.byBasis.capped, 0);
      expect(capped / fields, line).toBeLessThanOrEqual(CAPPED_SHARE_LIMIT);
      expect(readFileSync(README, "utf8").includes(line), `README.md states: ${line}`).toBe(true);
    }, 60_000);
  },
);
