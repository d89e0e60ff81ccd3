// Generates src/generated from the bundled document of @wechatpay-marketing/openapi (see
// scripts/generator: types, schema aliases, the notification map, the per-operation type tests).
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { document } from "@wechatpay-marketing/openapi";
import { generate } from "./generator/index.mjs";

const outDir = join(dirname(fileURLToPath(import.meta.url)), "../src/generated");
rmSync(outDir, { recursive: true, force: true });
await generate(document, outDir);
