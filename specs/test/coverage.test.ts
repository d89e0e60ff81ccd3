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
import {
  type Difference,
  differenceKey,
  REFERENCE_SOURCE,
  readDifferences,
  SOURCE_PATTERNS,
} from "./registry.js";

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
 * At most this share of the compared fields may differ on the reference's own word alone (entries
 * whose every source is `reference: …`); every other difference has a seed, an official page or
 * WeChat Pay's SDK behind it.
 */
const REFERENCE_ONLY_SHARE_LIMIT = 0.01;
const README = join(specsDir, "README.md");

/** The README line of a scope's figures, which the last test keeps equal to what it measures. */
const figuresLine = (r: {
  file: string;
  operations: number;
  fields: number;
  differing: number;
  byKind: Record<Kind, number>;
  entries: number;
  referenceOnly: number;
}) =>
  `- \`${r.file}\`: ${r.operations} operations, ${r.fields} fields compared, ${r.differing} differ ` +
  `(${percent(r.differing, r.fields)}): ${KINDS.map((k) => `${k} ${r.byKind[k]}`).join(", ")}; ` +
  `${r.entries} entries in reference-differences.yaml, ${r.referenceOnly} fields on the reference's ` +
  `own word (${percent(r.referenceOnly, r.fields)}); unlisted 0.`;

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

for (const scope of SCOPES) {
  const file = sharedReferenceFile(scope.file);
  describe.skipIf(!existsSync(file))(
    `coverage of ${scope.file} in both directions (needs ../shared beside the clone)`,
    () => {
      let doc: JsonObject;
      let reference: RefOperation[];
      let events: Set<string>;
      let listed: Difference[];
      let compared: Compared[];

      beforeAll(() => {
        doc = bundleDocument();
        const json = JSON.parse(readFileSync(file, "utf8")) as {
          operations: RefOperation[];
          webhooks?: RefOperation[];
        };
        reference = [...json.operations, ...(json.webhooks ?? [])];
        events = new Set((json.webhooks ?? []).map(referenceKey));
        listed = readDifferences().filter((d) => d.reference === scope.file);
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
        compared = pairs.map((p) => ({
          ...p,
          differences: compareFields(p.spec, p.reference, stated),
        }));
      }, 60_000);

      const inScope = () =>
        documentEntries(doc).filter((e) => (e.path ? scope.covers(e.path) : events.has(e.key)));
      const live = () =>
        compared.flatMap((c) => c.differences.map((d) => ({ ...d, operation: c.key })));

      it("covers every operation of the reference, and invents none in its area", () => {
        const documented = new Set(documentEntries(doc).map((e) => e.key));
        const described = new Set(reference.map(referenceKey));
        expect([...described].filter((k) => !documented.has(k))).toEqual([]);
        expect(
          inScope()
            .map((e) => e.key)
            .filter((k) => !described.has(k)),
        ).toEqual([]);
      });

      it("lists every difference in either direction (fields, required, type, enum, format, length, range, items)", () => {
        const known = new Set(listed.flatMap((d) => d.at.map((at) => differenceKey(at, d.kind))));
        const unlisted = live()
          .filter((d) => !known.has(differenceKey(`${d.operation} ${d.field}`, d.kind)))
          .map(
            (d) =>
              `${d.operation} ${d.field} ${d.kind}: document ${d.spec}, reference ${d.reference}`,
          );
        expect(unlisted).toEqual([]);
      });

      it("lists no difference that no longer exists, and gives each a source and a reason", () => {
        const current = new Set(
          live().map((d) => differenceKey(`${d.operation} ${d.field}`, d.kind)),
        );
        const stale = listed.flatMap((d) =>
          d.at
            .filter((at) => !current.has(differenceKey(at, d.kind)))
            .map((at) => `${d.kind} ${at}`),
        );
        expect(stale).toEqual([]);
        for (const d of listed) {
          const where = `${d.kind} ${d.at[0]}`;
          expect(d.reason.length, where).toBeGreaterThan(20);
          for (const source of d.sources) {
            expect(
              SOURCE_PATTERNS.some((p) => p.test(source)),
              `${where}: "${source}" is neither a seed, an official page or SDK, nor the reference`,
            ).toBe(true);
            // A `reference: …` source must name a field the reference really states.
            const cited = source.match(REFERENCE_SOURCE);
            if (cited) {
              const ref = reference.find((r) => referenceKey(r) === cited[1]);
              expect(
                ref && referenceFields(ref).has(cited[2] as string),
                `${where}: ${source}`,
              ).toBe(true);
            }
          }
        }
      });

      it(`differs on the reference's own word in at most ${REFERENCE_ONLY_SHARE_LIMIT * 100} % of the fields, and the README states the figures`, () => {
        const fields = compared.reduce(
          (n, c) => n + new Set([...c.spec.keys(), ...c.reference.keys()]).size,
          0,
        );
        const differing = new Set(live().map((d) => `${d.operation} ${d.field}`));
        const byKind = Object.fromEntries(
          KINDS.map((k) => [k, live().filter((d) => d.kind === k).length]),
        ) as Record<Kind, number>;
        const referenceOnly = new Set(
          listed
            .filter((d) => d.sources.every((source) => REFERENCE_SOURCE.test(source)))
            .flatMap((d) => d.at),
        );
        const line = figuresLine({
          file: scope.file,
          operations: compared.length,
          fields,
          differing: differing.size,
          byKind,
          entries: listed.length,
          referenceOnly: referenceOnly.size,
        });
        expect(referenceOnly.size / fields, line).toBeLessThanOrEqual(REFERENCE_ONLY_SHARE_LIMIT);
        expect(readFileSync(README, "utf8"), "README.md's coverage figures").toContain(line);
      });
    },
  );
}
