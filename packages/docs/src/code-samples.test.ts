import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { document } from "@wechatpay-marketing/openapi";
import { describe, expect, it } from "vitest";
import {
  deref,
  generateSamples,
  type Json,
  listOperations,
  SAMPLE_LANG,
  toTsLiteral,
  withCodeSamples,
} from "./code-samples.js";
import { prepareDocsDocument } from "./docs-document.js";
import { DEFAULT_SAMPLES_DIR, formatProblems, typecheckSamples } from "./typecheck-samples.js";

const doc = document as unknown as Json;
const entries = listOperations(doc);

/** Operations counted straight from the bundled document, without our helper. */
function countFromDocument(map: Record<string, Json> | undefined) {
  const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
  return Object.values(map ?? {}).reduce(
    (n, item) => n + methods.filter((m) => (item as Json)[m]).length,
    0,
  );
}

function requestExample(operation: Json): unknown {
  const body = operation.requestBody ? deref(doc, operation.requestBody) : undefined;
  const media = body?.content?.["application/json"];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  return first === undefined ? undefined : deref(doc, first).value;
}

describe("generated TypeScript samples", () => {
  it("cover every operation and webhook of the spec", () => {
    const samples = generateSamples(doc);
    expect(samples.filter((s) => s.kind === "operation")).toHaveLength(
      countFromDocument(doc.paths),
    );
    expect(samples.filter((s) => s.kind === "webhook")).toHaveLength(
      countFromDocument(doc.webhooks),
    );
    expect(new Set(samples.map((s) => s.operationId)).size).toBe(samples.length);
  });

  it("call the operation's own method and path with its own request example", () => {
    for (const { kind, method, path, operation } of entries) {
      if (kind !== "operation") continue;
      const sample = generateSamples(doc).find((s) => s.operationId === operation.operationId);
      const body = operation.requestBody ? deref(doc, operation.requestBody) : undefined;
      if (body?.content?.["multipart/form-data"]) {
        // The image upload goes through the client's helper, which signs over the meta part.
        expect(sample?.source).toContain(
          'client.uploadImage(readFileSync("logo.png"), "logo.png")',
        );
        continue;
      }
      expect(sample?.source).toContain(`client.${method.toUpperCase()}(${JSON.stringify(path)}`);
      expect(sample?.source).toContain("createMarketingClient({");
      const example = requestExample(operation);
      if (example !== undefined) {
        // The whole example, printed as a literal, is the body.
        expect(sample?.source).toContain(`body: ${toTsLiteral(example, "  ")}`);
      }
    }
  });

  it("give each webhook a handler that verifies and decrypts with parseNotification", () => {
    const webhooks = generateSamples(doc).filter((s) => s.kind === "webhook");
    expect(webhooks.map((s) => s.path)).toContain("COUPON.SEND");
    for (const sample of webhooks) {
      expect(sample.source).toContain("await parseNotification(");
      expect(sample.source).toContain(`notification.eventType === ${JSON.stringify(sample.path)}`);
    }
  });

  it("all compile against the generated client types", () => {
    const { files, problems } = typecheckSamples(generateSamples(doc));
    expect(files).toHaveLength(entries.length);
    expect(formatProblems(problems)).toBe("");
  });

  it("fail the check when a sample does not match the client types", () => {
    // A request example with a field the spec does not have, and a path the client does not know.
    const broken = structuredClone(doc);
    const entry = listOperations(broken).find(
      (e) => e.kind === "operation" && requestExample(e.operation) !== undefined,
    );
    if (!entry) throw new Error("the spec has no operation with a JSON request example");
    const media = deref(broken, entry.operation.requestBody).content["application/json"];
    const first = Object.values(media.examples ?? {})[0] as Json | undefined;
    if (first) deref(broken, first).value = { ...deref(broken, first).value, not_in_spec: 1 };
    else media.example = { ...media.example, not_in_spec: 1 };
    const other = listOperations(broken).find(
      (e) => e.kind === "operation" && e.path !== entry.path,
    );
    if (!other) throw new Error("the spec has one operation only");
    broken.paths[`${other.path}-renamed`] = broken.paths[other.path];
    delete broken.paths[other.path];

    const dir = mkdtempSync(join(DEFAULT_SAMPLES_DIR, "..", ".samples-broken-"));
    try {
      const { problems } = typecheckSamples(generateSamples(broken), { dir });
      const keys = problems.map((p) => p.operationId);
      expect(keys).toContain(entry.operation.operationId);
      expect(keys).toContain(other.operation.operationId);
      expect(formatProblems(problems)).toContain("not_in_spec");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the docs copy of the document", () => {
  it("puts the TypeScript sample first on every operation and leaves the bundled document alone", () => {
    const before = JSON.stringify(doc);
    const { document: copy, samples } = withCodeSamples(doc);
    expect(JSON.stringify(doc)).toBe(before);
    for (const { operation } of listOperations(copy)) {
      const [first] = operation["x-codeSamples"];
      expect(first.lang).toBe(SAMPLE_LANG);
      expect(first.source).toBe(
        samples.find((s) => s.operationId === operation.operationId)?.source,
      );
    }
  });

  it("names webhooks by event type and sets the logo", () => {
    const logo = { image: "/somewhere/site/logo.svg", altText: "Logo", link: "#" };
    const { document: copy } = prepareDocsDocument(doc, { logo });
    for (const { kind, path, operation } of listOperations(copy)) {
      if (kind === "webhook") expect(operation.summary.startsWith(`${path} · `)).toBe(true);
    }
    expect(copy.info["x-logo"]).toEqual({ url: "logo.svg", altText: "Logo", href: "#" });
  });
});

describe("toTsLiteral", () => {
  it("prints bare identifier keys, quoted others, nested objects and short arrays inline", () => {
    expect(toTsLiteral({ a: 1, "Idempotency-Key": "k", b: { c: [1, "x"] }, d: [] })).toBe(
      '{\n  a: 1,\n  "Idempotency-Key": "k",\n  b: {\n    c: [1, "x"],\n  },\n  d: [],\n}',
    );
    expect(toTsLiteral("中文")).toBe('"中文"');
    expect(toTsLiteral(null)).toBe("null");
  });
});
