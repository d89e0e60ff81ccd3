// Prints what the built site costs a reader in headless Chromium: bytes transferred (sum of every
// response, headers included; the Chinese web font's share apart) and how soon the reference first
// renders. Figures, not assertions.
//   pnpm --filter @wechatpay-marketing/docs bench [--runs 5]
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { launchChromium } from "../src/chromium.js";
import { CJK_FONT_FILE } from "../src/cjk-font.js";
import { startStaticServer } from "../src/static-server.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../dist");
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Math.max(1, Number(values.runs) || 5);

/** @param {number[]} xs */
const median = (xs) =>
  /** @type {number} */ ([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
/** @param {number} n */
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
/** @param {number} n */
const ms = (n) => `${Math.round(n)} ms`;

const onDisk = readdirSync(root).reduce((n, f) => n + statSync(join(root, f)).size, 0);
const fontOnDisk = statSync(join(root, CJK_FONT_FILE)).size;

/**
 * @typedef {{ fcp: number, lcp: number, domContentLoaded: number, load: number }} Timing
 * @param {boolean} gzip
 */
async function measure(gzip) {
  const server = await startStaticServer({ root, gzip });
  const browser = await launchChromium();
  /** @type {(Timing & { bytes: number, count: number, fontBytes: number })[]} */
  const samples = [];
  try {
    for (let i = 0; i < runs; i++) {
      // A new page in a fresh profile per run would be slower to start; a disabled cache is the same.
      const page = await browser.context.newPage();
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      let bytes = 0;
      let count = 0;
      let fontBytes = 0;
      /** @type {Set<string>} */
      const fontRequests = new Set();
      cdp.on("Network.requestWillBeSent", (e) => {
        if (e.request.url.endsWith(`/${CJK_FONT_FILE}`)) fontRequests.add(e.requestId);
      });
      cdp.on("Network.loadingFinished", (e) => {
        bytes += e.encodedDataLength;
        if (fontRequests.has(e.requestId)) fontBytes += e.encodedDataLength;
        count++;
      });
      await page.goto(server.url, { waitUntil: "load" });
      await page.waitForFunction(
        () => typeof (/** @type {any} */ (window).Redoc?.init) === "function",
      );
      await page.waitForLoadState("networkidle");
      const timing = await page.evaluate(
        () =>
          /** @type {Promise<Timing>} */ (
            new Promise((done) => {
              const nav = /** @type {PerformanceNavigationTiming} */ (
                performance.getEntriesByType("navigation")[0]
              );
              const fcp =
                performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
              new PerformanceObserver((list) => {
                const entries = list.getEntries();
                done({
                  fcp,
                  lcp: entries[entries.length - 1]?.startTime ?? NaN,
                  domContentLoaded: nav.domContentLoadedEventEnd,
                  load: nav.loadEventEnd,
                });
              }).observe({ type: "largest-contentful-paint", buffered: true });
            })
          ),
      );
      samples.push({ bytes, count, fontBytes, ...timing });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return {
    browser: browser.source,
    bytes: median(samples.map((s) => s.bytes)),
    fontBytes: median(samples.map((s) => s.fontBytes)),
    requests: median(samples.map((s) => s.count)),
    fcp: median(samples.map((s) => s.fcp)),
    lcp: median(samples.map((s) => s.lcp)),
    domContentLoaded: median(samples.map((s) => s.domContentLoaded)),
    load: median(samples.map((s) => s.load)),
  };
}

const gz = await measure(true);
const raw = await measure(false);
console.log(
  `docs site bench (headless Chromium from ${gz.browser}, 127.0.0.1, median of ${runs} cold loads)`,
);
console.log(
  `  files in dist/:                ${kib(onDisk)} (incl. openapi.json, fetched only on Download)`,
);
console.log(
  `  transferred, gzip:             ${kib(gz.bytes)} in ${gz.requests} responses (${(gz.bytes / raw.bytes).toFixed(2)}x of uncompressed)`,
);
console.log(`  transferred, no compression:   ${kib(raw.bytes)} in ${raw.requests} responses`);
console.log(
  `  of which the Chinese web font: ${kib(gz.fontBytes)} (${CJK_FONT_FILE}, ${fontOnDisk} B WOFF2, already compressed)`,
);
console.log(
  `  first render of the reference: ${ms(gz.fcp)} (first contentful paint of the prerendered page)`,
);
console.log(`  largest contentful paint:      ${ms(gz.lcp)}`);
console.log(
  `  interactive (Redoc hydrated):  ${ms(gz.domContentLoaded)} (DOMContentLoaded; ${(gz.fcp / gz.domContentLoaded).toFixed(2)} of it spent before first render)`,
);
console.log(`  load event:                    ${ms(gz.load)}`);
