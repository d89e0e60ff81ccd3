// Checks that a difference's sources say what the registry claims: seed quotes are found verbatim
// in ../shared/seeds, reference-fault quotes in the reference's own `about` and `notes`, cited
// reference fields exist. Only whitespace is normalised; a paraphrase is not a quote.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { specsDir } from "./bundle.js";
import { type RefOperation, referenceFields } from "./fields.js";
import { type Difference, normaliseWhitespace, type Source, strongestBasis } from "./registry.js";

export const seedsDir = resolve(specsDir, "../../shared/seeds");

const seedTexts = new Map<string, string>();

/** The normalised text of seed `000`…`004`. */
function seedText(seed: string): string {
  const cached = seedTexts.get(seed);
  if (cached !== undefined) return cached;
  const file = existsSync(seedsDir)
    ? readdirSync(seedsDir).find((name) => name.startsWith(`${seed}_`))
    : undefined;
  if (!file) throw new Error(`seed ${seed}: no ${seed}_*.txt in ${seedsDir}`);
  const text = normaliseWhitespace(readFileSync(resolve(seedsDir, file), "utf8"));
  seedTexts.set(seed, text);
  return text;
}

/** Everything a reference file says about itself: its `about` and every `notes` entry. */
export function referenceStatements(json: unknown): string {
  const found: string[] = [];
  const walk = (node: unknown, key?: string) => {
    if (typeof node === "string") {
      if (key === "about" || key === "notes") found.push(node);
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item, key === "notes" ? key : undefined);
    } else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) walk(v, k);
    }
  };
  walk(json);
  return normaliseWhitespace(found.join("\n"));
}

export interface EvidenceContext {
  /** The reference's `about` and `notes`, normalised. */
  statements: string;
  reference: RefOperation[];
  referenceKey: (operation: RefOperation) => string;
}

/** What is wrong with one source, or undefined when it holds. */
export function sourceProblem(source: Source, context: EvidenceContext): string | undefined {
  switch (source.type) {
    case "seed":
      return seedText(source.seed).includes(normaliseWhitespace(source.quote))
        ? undefined
        : `seed ${source.seed} does not contain "${source.quote}"`;
    case "fault":
      return context.statements.includes(normaliseWhitespace(source.quote))
        ? undefined
        : `the reference's about/notes do not contain "${source.quote}"`;
    case "reference-field": {
      const operation = context.reference.find((r) => context.referenceKey(r) === source.operation);
      return operation && referenceFields(operation).has(source.field)
        ? undefined
        : `the reference states no ${source.operation} ${source.field}`;
    }
    case "page":
    case "sdk":
      return undefined;
  }
}

/** Every problem of an entry: a source that does not hold, or a basis its sources do not bear. */
export function entryProblems(entry: Difference, context: EvidenceContext): string[] {
  const where = `${entry.kind} ${entry.at[0]}`;
  const problems = entry.sources.flatMap((source) => {
    const problem = sourceProblem(source, context);
    return problem ? [`${where}: ${problem}`] : [];
  });
  const strongest = strongestBasis(entry.sources);
  if (strongest !== entry.basis)
    problems.push(`${where}: basis ${entry.basis}, but its strongest source makes it ${strongest}`);
  if (entry.reason.length <= 20) problems.push(`${where}: the reason is too short to explain`);
  return problems;
}
