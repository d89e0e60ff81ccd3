// @ts-check
// Debian's Chromium driven by playwright-core: never a downloaded browser.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Launches headless Chromium with a fresh profile (a temp `--user-data-dir`, removed on close).
 * @param {{ width?: number, height?: number }} [viewport]
 */
export async function launchChromium({ width = 1400, height = 900 } = {}) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: apt-get install chromium fonts-noto-cjk (or set CHROMIUM_PATH)`,
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), "wechatpay-docs-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width, height },
    locale: "zh-CN",
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
