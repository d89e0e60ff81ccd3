import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkSourceMaps, sourceMappingUrl } from "./source-maps.js";

// Unpacked tarballs written to a temp folder: the check reads the files themselves.
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function tarball(files: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), "source-maps-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return { contents: dir, files: Object.keys(files) };
}

const map = (sources: string[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 3, file: "index.js", sources, mappings: "AAAA", ...extra });

describe("checkSourceMaps", () => {
  it("accepts a package with no maps, and maps whose sources are shipped or inlined", () => {
    const plain = tarball({ "package.json": "{}", "dist/index.js": "export {};\n" });
    expect(checkSourceMaps(plain.contents, plain.files)).toEqual([]);
    const shipped = tarball({
      "dist/index.js": "export {};\n//# sourceMappingURL=index.js.map\n",
      "dist/index.js.map": map(["../src/index.ts"]),
      "src/index.ts": "export {};\n",
    });
    expect(checkSourceMaps(shipped.contents, shipped.files)).toEqual([]);
    const inlined = tarball({
      "dist/index.js": "export {};\n//# sourceMappingURL=index.js.map\n",
      "dist/index.js.map": map(["../src/index.ts"], { sourcesContent: ["export {};\n"] }),
    });
    expect(checkSourceMaps(inlined.contents, inlined.files)).toEqual([]);
  });

  it("names a map whose sources are not in the tarball (tsc's ../src maps)", () => {
    const { contents, files } = tarball({
      "dist/index.js": "export {};\n//# sourceMappingURL=index.js.map\n",
      "dist/index.js.map": map(["../src/index.ts"]),
      "dist/index.d.ts.map": map(["../src/index.ts"], { sourceRoot: "" }),
    });
    expect(checkSourceMaps(contents, files)).toEqual([
      "dist/index.js.map: the source map points to 1 file(s) not in the tarball (../src/index.ts): ship the sources or no maps",
      "dist/index.d.ts.map: the source map points to 1 file(s) not in the tarball (../src/index.ts): ship the sources or no maps",
    ]);
  });

  it("names three maps of a build whose maps all point outside the tarball, and counts the rest", () => {
    const built = Object.fromEntries(
      ["a", "b", "c", "d", "e"].map((name) => [`dist/${name}.js.map`, map([`../src/${name}.ts`])]),
    );
    const { contents, files } = tarball(built);
    const problems = checkSourceMaps(contents, files);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain("dist/a.js.map: the source map points to 1 file(s)");
    expect(problems[3]).toBe("… and 2 more source maps pointing to files not in the tarball");
  });

  it("names a sourceMappingURL to a map that is not shipped, and a broken or inline map", () => {
    const inline = Buffer.from(map(["../src/a.ts"])).toString("base64");
    const { contents, files } = tarball({
      "dist/index.js": "export {};\n//# sourceMappingURL=index.js.map\n",
      "dist/index.d.ts": "export {};\n//# sourceMappingURL=index.d.ts.map",
      "dist/a.js": `export {};\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${inline}\n`,
      "dist/b.js.map": "{not json",
    });
    expect(checkSourceMaps(contents, files)).toEqual([
      "dist/index.js: sourceMappingURL=index.js.map names a map that is not in the tarball",
      "dist/index.d.ts: sourceMappingURL=index.d.ts.map names a map that is not in the tarball",
      "dist/b.js.map: the source map is not valid JSON",
      "dist/a.js (inline map): the source map points to 1 file(s) not in the tarball (../src/a.ts): ship the sources or no maps",
    ]);
  });

  it("reads the comment only on a line of its own, the last one winning", () => {
    expect(
      sourceMappingUrl("x\n//# sourceMappingURL=a.js.map\n//# sourceMappingURL=b.js.map\n"),
    ).toBe("b.js.map");
    expect(sourceMappingUrl("/*# sourceMappingURL=s.css.map */")).toBe("s.css.map");
    // Inside a string (a worker's source in a bundle) it is not the file's map.
    expect(sourceMappingUrl("const w = 'code\\n//# sourceMappingURL=w.js.map';\n")).toBeUndefined();
  });
});
