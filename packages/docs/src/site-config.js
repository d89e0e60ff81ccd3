// @ts-check
// The docs settings of specs/redocly.yaml: `openapi` (Redoc options and theme), `logo` and `seo`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";

/** The one redocly.yaml of the spec (lint, bundle and docs), from the specs dependency. */
export const REDOCLY_CONFIG = createRequire(import.meta.url).resolve(
  "@wechatpay-marketing/specs/redocly.yaml",
);

/**
 * @typedef {object} SiteConfig
 * @property {Record<string, unknown>} redocOptions Redoc options (`openapi` in redocly.yaml)
 * @property {{ image: string, altText: string, link: string } | undefined} logo `image` resolved to an absolute path
 * @property {string | undefined} title page title (`seo.title`)
 * @property {string | undefined} description page description (`seo.description`)
 */

/**
 * @param {string} [configPath]
 * @returns {SiteConfig}
 */
export function readSiteConfig(configPath = REDOCLY_CONFIG) {
  const raw = parse(readFileSync(configPath, "utf8")) ?? {};
  const logo = raw.logo?.image
    ? {
        image: resolve(dirname(configPath), String(raw.logo.image)),
        altText: String(raw.logo.altText ?? ""),
        link: String(raw.logo.link ?? "#"),
      }
    : undefined;
  return {
    redocOptions: { ...(raw.openapi ?? {}) },
    logo,
    title: raw.seo?.title === undefined ? undefined : String(raw.seo.title),
    description: raw.seo?.description === undefined ? undefined : String(raw.seo.description),
  };
}
