import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { document } from "@wechatpay-marketing/openapi";
import { describe, expect, it } from "vitest";
import {
  CLIENT_IMPORT,
  callLines,
  deref,
  generateSamples,
  type Json,
  LINE_WIDTH,
  listOperations,
  SAMPLE_LANG,
  toTsLiteral,
  withCodeSamples,
} from "./code-samples.js";
import { prepareDocsDocument } from "./docs-document.js";
import { CLIENT_MODULE_FILE, quickStartSamples, sampleModules } from "./quick-start.js";
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
    const samples = generateSamples(doc);
    for (const { kind, method, path, operation } of entries) {
      if (kind !== "operation") continue;
      const sample = samples.find((s) => s.operationId === operation.operationId);
      // The call and its error handling, with the client from the Quick start's client.ts.
      expect(
        sample?.source.startsWith(CLIENT_IMPORT) || sample?.source.includes(`\n${CLIENT_IMPORT}\n`),
      ).toBe(true);
      expect(sample?.source).not.toContain("createMarketingClient");
      expect(sample?.source).toContain("if (error)");
      const body = operation.requestBody ? deref(doc, operation.requestBody) : undefined;
      if (body?.content?.["multipart/form-data"]) {
        // The image upload goes through the client's helper, which signs over the meta part.
        expect(sample?.source).toContain('client.uploadImage(\n  readFileSync("logo.png"),');
        continue;
      }
      expect(sample?.source).toMatch(
        new RegExp(
          `client\\.${method.toUpperCase()}\\(\\n?\\s*${JSON.stringify(path).replace(/[{}]/g, "\\$&")}`,
        ),
      );
      const example = requestExample(operation);
      if (example !== undefined) {
        // The whole example, printed as a literal, is the body (indented one more level when
        // the call breaks its arguments onto lines of their own).
        const inline = `body: ${toTsLiteral(example, "  ")}`;
        const broken = `body: ${toTsLiteral(example, "    ")}`;
        expect([inline, broken].some((text) => sample?.source.includes(text))).toBe(true);
      }
    }
  });

  it("keep every line within the code panel's width, but for a long example value or path", () => {
    const over = generateSamples(doc).flatMap((sample) =>
      sample.source
        .split("\n")
        .filter((line) => line.replace(/"[^"]*"/g, '""').length > LINE_WIDTH)
        .map((line) => `${sample.operationId}: ${line}`),
    );
    expect(over).toEqual([]);
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
    const quickStart = quickStartSamples(doc);
    expect(quickStart.length).toBeGreaterThan(0);
    const { files, problems } = typecheckSamples([...generateSamples(doc), ...quickStart], {
      modules: sampleModules(doc),
    });
    expect(files).toHaveLength(entries.length + quickStart.length);
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
      const { problems } = typecheckSamples(generateSamples(broken), {
        dir,
        modules: sampleModules(broken),
      });
      const keys = problems.map((p) => p.operationId);
      expect(keys).toContain(entry.operation.operationId);
      expect(keys).toContain(other.operation.operationId);
      expect(formatProblems(problems)).toContain("not_in_spec");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("samples and the Quick start's client.ts", () => {
  it("fail the check when client.ts is missing or exports no client", () => {
    const samples = generateSamples(doc).slice(0, 2);
    const dir = mkdtempSync(join(DEFAULT_SAMPLES_DIR, "..", ".samples-no-client-"));
    try {
      const missing = typecheckSamples(samples, { dir });
      expect(formatProblems(missing.problems)).toContain("Cannot find module './client.js'");
      const renamed = typecheckSamples(samples, {
        dir,
        modules: {
          [CLIENT_MODULE_FILE]: sampleModules(doc)[CLIENT_MODULE_FILE]?.replace(
            "export const client =",
            "export const marketingClient =",
          ) as string,
        },
      });
      expect(formatProblems(renamed.problems)).toContain("has no exported member 'client'");
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

describe("callLines", () => {
  it("keeps a short call on one line and puts a long path and the options on lines of their own", () => {
    expect(callLines("get", "/v3/a", {})).toEqual([
      'const { data, error } = await client.GET("/v3/a");',
    ]);
    expect(callLines("post", "/v3/marketing/busifavor/stocks", { body: { a: 1 } })).toEqual([
      "const { data, error } = await client.POST(",
      '  "/v3/marketing/busifavor/stocks",',
      "  {\n    body: {\n      a: 1,\n    },\n  },",
      ");",
    ]);
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
