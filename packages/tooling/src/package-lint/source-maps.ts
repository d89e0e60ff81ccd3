// Source maps in a packed package must lead somewhere: a map whose `sources` name files the tarball
// does not hold (our builds once shipped maps pointing at ../src, which `files` leaves out) sends
// debuggers and bundlers after files that are not there. Checked on the unpacked tarball:
//   - every `sourceMappingURL` comment of a .js/.d.ts file names a map in the tarball (or inline);
//   - every source of every map is in the tarball, unless the map carries its content.
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";

/** Files that may end with a `sourceMappingURL` comment. */
const MAPPED = /\.(?:[cm]?js|d\.[cm]?ts|css)$/;
/** The comment, on a line of its own as bundlers and tsc write it (not inside a string). */
const MAPPING_URL = /^\s*(?:\/\/|\/\*)[#@]\s*sourceMappingURL=(\S+?)\s*(?:\*\/)?\s*$/gm;

interface SourceMap {
  sources?: unknown;
  sourceRoot?: unknown;
  sourcesContent?: unknown;
}

/** The `sourceMappingURL` a file ends with, if any: the last such comment counts. */
export function sourceMappingUrl(text: string): string | undefined {
  let last: string | undefined;
  for (const match of text.matchAll(MAPPING_URL)) last = match[1];
  return last;
}

/** The sources of `map` (at `mapFile`, a tarball path) that are neither in `files` nor inlined. */
function missingSources(map: SourceMap, mapFile: string, files: Set<string>): string[] {
  if (!Array.isArray(map.sources)) return ["(no sources array)"];
  const root = typeof map.sourceRoot === "string" ? map.sourceRoot : "";
  const contents = Array.isArray(map.sourcesContent) ? map.sourcesContent : [];
  return map.sources.filter((source, i) => {
    if (typeof contents[i] === "string") return false;
    if (typeof source !== "string") return true;
    if (/^[a-z][a-z0-9+.-]*:/i.test(root + source)) return true; // a URL outside the package
    const path = posix.normalize(posix.join(posix.dirname(mapFile), root, source));
    return !files.has(path);
  }) as string[];
}

function parseMap(text: string): SourceMap | undefined {
  try {
    const map = JSON.parse(text) as unknown;
    return map && typeof map === "object" ? (map as SourceMap) : undefined;
  } catch {
    return undefined;
  }
}

function inlineMap(url: string): SourceMap | undefined {
  const data = /^data:application\/json(?:;charset=[^;,]+)?(;base64)?,(.*)$/i.exec(url);
  if (!data?.[2]) return undefined;
  const text = data[1]
    ? Buffer.from(data[2], "base64").toString("utf8")
    : decodeURIComponent(data[2]);
  return parseMap(text);
}

/**
 * Every problem with the source maps of an unpacked tarball, as a sentence naming the file.
 * @param contents the unpacked tarball's root (`package/`)
 * @param files its files, relative to `contents`, with forward slashes
 */
export function checkSourceMaps(contents: string, files: string[]): string[] {
  const problems: string[] = [];
  const present = new Set(files);
  /** Maps with sources that are not shipped: a build makes them all alike, so few are named. */
  const unshipped: { file: string; missing: string[] }[] = [];
  const report = (file: string, map: SourceMap | undefined) => {
    if (!map) {
      problems.push(`${file}: the source map is not valid JSON`);
      return;
    }
    const missing = missingSources(map, file, present);
    if (missing.length > 0) unshipped.push({ file, missing });
  };

  for (const file of files) {
    if (file.endsWith(".map")) {
      report(file, parseMap(readFileSync(join(contents, file), "utf8")));
      continue;
    }
    if (!MAPPED.test(file)) continue;
    const url = sourceMappingUrl(readFileSync(join(contents, file), "utf8"));
    if (url === undefined) continue;
    if (url.startsWith("data:")) {
      report(`${file} (inline map)`, inlineMap(url));
      continue;
    }
    const target = posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(url)));
    if (!present.has(target)) {
      problems.push(`${file}: sourceMappingURL=${url} names a map that is not in the tarball`);
    }
  }
  for (const { file, missing } of unshipped.slice(0, 3)) {
    const shown = missing.slice(0, 3).join(", ") + (missing.length > 3 ? ", …" : "");
    problems.push(
      `${file}: the source map points to ${missing.length} file(s) not in the tarball (${shown}): ship the sources or no maps`,
    );
  }
  if (unshipped.length > 3) {
    problems.push(
      `… and ${unshipped.length - 3} more source maps pointing to files not in the tarball`,
    );
  }
  return problems;
}
