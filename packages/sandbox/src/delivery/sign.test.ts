import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { apiV2SignMatches } from "./sign.js";

// ../shared beside the repository (read in place, never copied).
const VECTORS = fileURLToPath(
  new URL("../../../../../shared/reference/coupon-distribution-vectors.json", import.meta.url),
);
const present = existsSync(VECTORS);
if (!present) console.warn(`skipping the sandbox's APIv2 vector test: ${VECTORS} is absent`);

interface Vector {
  id: string;
  key: string;
  signedParams: Record<string, string>;
  sign: string;
}
const vectors: Vector[] = present
  ? (JSON.parse(readFileSync(VECTORS, "utf8")) as { vectors: Vector[] }).vectors
  : [];

describe.skipIf(!present)(
  "the sandbox's own APIv2 check against the reference vectors (needs ../shared)",
  () => {
    it.each(vectors.map((v) => [v.id, v] as const))(
      "%s: the published sign matches, a changed one does not",
      (_id, v) => {
        expect(apiV2SignMatches(v.signedParams, v.sign, v.key)).toBe(true);
        const flipped = `${v.sign.slice(0, -1)}${v.sign.endsWith("A") ? "B" : "A"}`;
        expect(apiV2SignMatches(v.signedParams, flipped, v.key)).toBe(false);
        expect(apiV2SignMatches(v.signedParams, v.sign.toLowerCase(), v.key)).toBe(false);
        expect(apiV2SignMatches(v.signedParams, v.sign, `${v.key.slice(1)}x`)).toBe(false);
        const [name] = Object.keys(v.signedParams).filter((k) => v.signedParams[k]);
        expect(
          apiV2SignMatches({ ...v.signedParams, [name as string]: "changed" }, v.sign, v.key),
        ).toBe(false);
      },
    );
  },
);
