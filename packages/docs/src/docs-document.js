// @ts-check
// The copy of the bundled document that the site renders: the spec stays as it is.
import { basename } from "node:path";
import { listOperations, withCodeSamples } from "./code-samples.js";

/** @typedef {import("./code-samples.js").Json} Json */
/** @typedef {import("./code-samples.js").GeneratedSample} GeneratedSample */

/**
 * Adds a TypeScript sample to every operation and webhook, names each webhook by its event type in
 * the sidebar and search (`COUPON.SEND · …`), and sets the logo from redocly.yaml.
 * @param {Json} bundled the bundled document (not changed)
 * @param {{ logo?: { image: string, altText: string, link: string } | undefined }} [config]
 * @returns {{ document: Json, samples: GeneratedSample[] }}
 */
export function prepareDocsDocument(bundled, { logo } = {}) {
  const { document, samples } = withCodeSamples(bundled);
  for (const entry of listOperations(document)) {
    if (entry.kind !== "webhook") continue;
    const summary = String(entry.operation.summary ?? "");
    if (!summary.includes(entry.path)) {
      entry.operation.summary = summary ? `${entry.path} · ${summary}` : entry.path;
    }
  }
  if (logo) {
    document.info["x-logo"] = {
      url: basename(logo.image),
      altText: logo.altText || document.info.title,
      href: logo.link,
    };
  }
  return { document, samples };
}
