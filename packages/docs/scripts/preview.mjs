// Serves the built site (dist/) on 127.0.0.1 for a person to look at.
//   pnpm --filter @wechatpay-marketing/docs preview [--port 8080]   (or PORT=8080; default: a free port)
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startStaticServer } from "../src/static-server.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../dist");
const { values } = parseArgs({
  options: { port: { type: "string" }, host: { type: "string", default: "127.0.0.1" } },
});
const rawPort = values.port ?? process.env.PORT ?? "0";
const port = Number(rawPort);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`preview: --port/PORT must be a TCP port (0 for a free one), got ${rawPort}`);
  process.exit(2);
}
if (!existsSync(join(root, "index.html"))) {
  console.error(
    "preview: no dist/index.html; build first: pnpm turbo run build --filter=@wechatpay-marketing/docs",
  );
  process.exit(1);
}
const server = await startStaticServer({ root, port, host: values.host });
console.log(`WeChat Pay marketing docs: ${server.url}`);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close().then(() => process.exit(0));
  });
}
