import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { document as bundledDocument } from "@wechatpay-marketing/openapi";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.js";
import {
  CJK_FONT_FAMILY,
  CJK_FONT_FILE,
  CJK_FONT_LICENSE_FILE,
  cjkCharacters,
  fontCodePoints,
  fontName,
  unicodeRange,
} from "./cjk-font.js";
import { CLIENT_IMPORT, deref, type Json, LINE_WIDTH, listOperations } from "./code-samples.js";
import { type StaticServer, startStaticServer } from "./static-server.js";

// The built site (dist/) in headless Chromium (src/chromium.js says which), served by our own static
// server on 127.0.0.1. Everything expected is computed from the bundled document, so the test
// follows the spec as it grows.

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(pkgDir, "dist");
const artifacts = join(pkgDir, ".artifacts");

// `document` stays the page's own inside page.evaluate callbacks.
const doc = bundledDocument as unknown as Json;
const entries = listOperations(doc);
const operations = entries.filter((e) => e.kind === "operation");
const webhooks = entries.filter((e) => e.kind === "webhook");
const tagGroups = (doc["x-tagGroups"] ?? []) as { name: string; tags: string[] }[];
const groupOfTag = new Map(tagGroups.flatMap((g) => g.tags.map((t) => [t, g.name] as const)));

/** The operation a user looks up by its official Chinese name in the issue: 核销用户券. */
const redeem =
  operations.find((e) => String(e.operation.summary).includes("核销用户券")) ?? operations[0];

/** `Redeem a user's coupon (核销用户券)` -> English "Redeem a user's coupon", Chinese "核销用户券". */
function names(summary: string) {
  const match = /^(.*?)\s*\(([^()]*[\u4e00-\u9fff][^()]*)\)\s*$/.exec(summary);
  return { english: match?.[1] ?? summary, chinese: match?.[2] ?? "" };
}

interface SidebarItem {
  id: string;
  label: string;
  group: string | undefined;
  type: string | undefined;
}

let server: StaticServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const requests: string[] = [];
const consoleErrors: string[] = [];

async function waitForHydration(p: Page) {
  // The template's stand-in has only `hydrate`; the real bundle brings `init` and then hydrates.
  await p.waitForFunction(
    () => typeof (window as unknown as { Redoc?: { init?: unknown } }).Redoc?.init === "function",
  );
  await p.waitForLoadState("networkidle");
  await p.evaluate(() => document.fonts.ready);
}

beforeAll(async () => {
  if (!existsSync(join(dist, "index.html"))) {
    throw new Error(
      "packages/docs/dist/index.html is missing: run `pnpm turbo run build --filter=@wechatpay-marketing/docs` first",
    );
  }
  mkdirSync(artifacts, { recursive: true });
  server = await startStaticServer({ root: dist });
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on("request", (request: Request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  await page.goto(server.url, { waitUntil: "load" });
  await waitForHydration(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the built docs site in Chromium", () => {
  it("loads with no console error and requests nothing outside 127.0.0.1", async () => {
    await page.screenshot({ path: join(artifacts, "landing.png") });
    expect(consoleErrors).toEqual([]);
    const origin = new URL(server.url).origin;
    // blob: URLs are the search worker Redoc creates in the page: same origin, no network.
    const outside = requests.filter((url) => {
      const { protocol, origin: from } = new URL(url);
      if (protocol === "data:") return false;
      if (protocol === "blob:") return new URL(url.slice("blob:".length)).origin !== origin;
      return from !== origin;
    });
    expect(outside).toEqual([]);
    expect(requests.some((url) => url.endsWith("/redoc.standalone.js"))).toBe(true);
    expect(requests).toContain(new URL(CJK_FONT_FILE, server.url).href);
  });

  it("lists every operation of the spec in the sidebar under its product area, and the webhooks", async () => {
    const items: SidebarItem[] = await page.$$eval('li[data-item-id*="/operation/"]', (lis) =>
      lis.map((li) => {
        const group = li.closest('li[data-item-id^="group/"]');
        return {
          id: li.getAttribute("data-item-id") ?? "",
          label: li.querySelector("label span:last-of-type")?.textContent?.trim() ?? "",
          group: group?.querySelector(":scope > label")?.textContent?.trim(),
          type: li.querySelector(".operation-type")?.getAttribute("type") ?? undefined,
        };
      }),
    );
    const byOperationId = new Map(items.map((item) => [item.id.split("/operation/")[1], item]));

    const sidebarOperations = items.filter((item) => item.type !== "hook");
    expect(sidebarOperations).toHaveLength(operations.length);
    for (const { operation } of operations) {
      const item = byOperationId.get(operation.operationId);
      expect(item, operation.operationId).toBeDefined();
      expect(item?.label).toBe(operation.summary);
      const tag = operation.tags?.[0];
      expect(item?.group, `${operation.operationId} group`).toBe(groupOfTag.get(tag));
    }

    expect(webhooks.map((w) => w.path)).toContain("COUPON.SEND");
    for (const { path: event, operation } of webhooks) {
      const item = byOperationId.get(operation.operationId);
      expect(item?.type, event).toBe("hook");
      expect(item?.label).toContain(event);
      expect(item?.label).toContain(operation.summary);
      expect(item?.group).toBe(groupOfTag.get(operation.tags?.[0]));
    }
  });

  it("draws its Chinese with the site's own font, so no CJK system font is needed", async () => {
    const font = readFileSync(join(dist, CJK_FONT_FILE));
    const postScriptName = await fontName(font, 6);
    const fontChars = await fontCodePoints(font);
    expect(
      await page.evaluate(() => [...document.fonts].map((f) => `${f.family} ${f.status}`)),
    ).toContain(`${CJK_FONT_FAMILY} loaded`);

    // Every visible element with Chinese in its own text (and none in its children's, as Chromium
    // counts those too): Chromium reports over CDP which fonts drew the glyphs of its text, and
    // each Chinese character must be a glyph of the shipped font.
    const probes: { index: number; text: string; cjk: number }[] = await page.evaluate(() => {
      const cjk = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/gu;
      const found: { index: number; text: string; cjk: number }[] = [];
      for (const element of document.querySelectorAll("body *")) {
        const own = [...element.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent ?? "")
          .join("");
        const count = own.match(cjk)?.length ?? 0;
        const inChildren = (element.textContent?.match(cjk)?.length ?? 0) - count;
        if (count === 0 || inChildren > 0 || element.getClientRects().length === 0) continue;
        element.setAttribute("data-cjk-probe", String(found.length));
        found.push({ index: found.length, text: own.trim(), cjk: count });
      }
      return found;
    });
    expect(probes.length, "visible elements with Chinese text").toBeGreaterThan(10);
    expect(probes.some((p) => p.text.includes("商家券"))).toBe(true);

    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
    const drawn: { text: string; byShippedFont: number; cjk: number; others: string[] }[] = [];
    for (const probe of probes) {
      const { nodeId } = await cdp.send("DOM.querySelector", {
        nodeId: root.nodeId,
        selector: `[data-cjk-probe="${probe.index}"]`,
      });
      const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
      const shipped = fonts.filter((f) => f.isCustomFont && f.postScriptName === postScriptName);
      drawn.push({
        text: probe.text,
        byShippedFont: shipped.reduce((n, f) => n + f.glyphCount, 0),
        cjk: probe.cjk,
        others: fonts.filter((f) => !shipped.includes(f)).map((f) => f.familyName),
      });
    }
    await cdp.detach();
    expect(drawn.filter((d) => d.byShippedFont !== d.cjk)).toEqual([]);

    // And each character of the font is drawn full-width (1em) in the page's font, where a
    // missing glyph would be the fallback's narrower box: the check fails on a box.
    const widths = await page.evaluate(
      ({ codePoints }) => {
        const probe = document.querySelector('[data-cjk-probe="0"]') as Element;
        const style = getComputedStyle(probe);
        const context = document
          .createElement("canvas")
          .getContext("2d") as CanvasRenderingContext2D;
        context.font = `${style.fontSize} ${style.fontFamily}`;
        const em = Number.parseFloat(style.fontSize);
        const width = (c: number) => context.measureText(String.fromCodePoint(c)).width / em;
        return {
          notFullWidth: codePoints.filter((c) => Math.abs(width(c) - 1) > 0.01),
          box: width(0x10fffd), // a private-use code point no font has
        };
      },
      { codePoints: fontChars.filter((c) => c >= 0x4e00 && c <= 0x9fff) },
    );
    expect(widths.notFullWidth).toEqual([]);
    expect(Math.abs(widths.box - 1)).toBeGreaterThan(0.01);
    await page.screenshot({ path: join(artifacts, "chinese.png") });
  });

  async function search(query: string) {
    const input = page.locator(".search-input");
    await input.fill("");
    await input.fill(query);
    const results = page.locator('[data-role="search:results"] li');
    await results.first().waitFor();
    return results.allTextContents();
  }

  it("finds an operation by its Chinese official name and by its English name", async () => {
    expect(redeem).toBeDefined();
    const summary = String(redeem?.operation.summary);
    const { english, chinese } = names(summary);
    expect(chinese).not.toBe("");

    const byChinese = await search(chinese);
    // Search results show the method then the summary.
    expect(byChinese.some((text) => text.endsWith(summary))).toBe(true);
    expect(byChinese.length).toBeLessThan(entries.length);

    const byEnglish = await search(english);
    expect(byEnglish.some((text) => text.endsWith(summary))).toBe(true);

    const byEvent = await search("COUPON.SEND");
    expect(byEvent.some((text) => text.includes("COUPON.SEND"))).toBe(true);
    await page.locator(".search-input").fill("");
  });

  it("renders a request body that is a discriminated oneOf as its variants, one per tag value", async () => {
    // From the document: every operation whose body is a union chosen by a tag (创建商家券 today).
    const unions = operations.flatMap((entry) => {
      const body = deref(doc, entry.operation.requestBody);
      const schema = deref(doc, body?.content?.["application/json"]?.schema);
      const mapping = schema?.discriminator?.mapping as Record<string, string> | undefined;
      return schema?.oneOf && mapping
        ? [{ entry, tag: String(schema.discriminator.propertyName), values: Object.keys(mapping) }]
        : [];
    });
    expect(unions.length).toBeGreaterThan(0);
    for (const { entry, tag, values } of unions) {
      const itemId = await page
        .locator(`li[data-item-id$="/operation/${entry.operation.operationId}"]`)
        .getAttribute("data-item-id");
      await page.goto(`${server.url}#${itemId}`);
      const section = page.locator(`[id="${itemId}"]`);
      await section.scrollIntoViewIfNeeded();
      // Redoc draws the discriminator as a drop-down beside the tag, one option per mapping value.
      const select = section
        .locator("select")
        .filter({ hasText: values[0] as string })
        .first();
      expect(await select.locator("option").allTextContents(), tag).toEqual(values);
      for (const value of values) {
        await select.selectOption(value);
        // The chosen variant's tag is a const, which Redoc prints as `Value: "…"`.
        await expect.poll(() => section.textContent()).toMatch(new RegExp(`Value:\\s*"${value}"`));
      }
    }
  });

  it("shows an operation's TypeScript sample and a response example", async () => {
    if (!redeem) throw new Error("the spec has no operation");
    const { method, path, operation } = redeem;
    const itemId = await page
      .locator(`li[data-item-id$="/operation/${operation.operationId}"]`)
      .getAttribute("data-item-id");
    expect(itemId).toBeTruthy();
    await page.goto(`${server.url}#${itemId}`);
    const section = page.locator(`[id="${itemId}"]`);
    await section.scrollIntoViewIfNeeded();

    await section.getByRole("tab", { name: "TypeScript", exact: true }).click();
    const sample = section.locator('[role="tabpanel"]').filter({ hasText: CLIENT_IMPORT });
    // The call and its error handling; the client comes from the Quick start's client.ts.
    await expect
      .poll(async () => (await sample.first().textContent())?.replace(/\s+/g, " "))
      .toContain(`client.${method.toUpperCase()}( "${path}"`);
    const shown = (await sample.first().textContent()) ?? "";
    expect(shown).toContain("if (error)");
    expect(shown).not.toContain("createMarketingClient");
    const quickStart = page.locator('div[id="section/Quick-start"]');
    expect(await quickStart.textContent()).toContain(
      "export const client = createMarketingClient({",
    );

    const [status, rawResponse] =
      Object.entries(operation.responses as Record<string, unknown>).find(([s]) =>
        s.startsWith("2"),
      ) ?? [];
    const response = deref(doc, rawResponse);
    const example = Object.values(response?.content?.["application/json"]?.examples ?? {})[0];
    const value = deref(doc, example)?.value as Record<string, unknown>;
    const [firstKey, firstValue] = Object.entries(value ?? {})[0] ?? [];
    expect(firstKey, `${operation.operationId} ${status} example`).toBeDefined();
    const responseSamples = section.getByText("Response samples").locator("..");
    await expect
      .poll(() => responseSamples.textContent())
      .toContain(`"${firstKey}": ${JSON.stringify(firstValue)}`.slice(0, 60));

    await section.screenshot({ path: join(artifacts, `operation-${operation.operationId}.png`) });
    await page.screenshot({ path: join(artifacts, "operation.png") });
  });

  it("ranks an operation first by its exact Chinese name, and finds one-character Chinese words", async () => {
    const input = page.locator(".search-input");
    const list = page.locator('[data-role="search:results"] li');
    const results = async (query: string) => {
      // Cleared first and waited for, so that the list read is this query's, not the last one's.
      await input.fill("");
      await list.first().waitFor({ state: "detached" });
      await input.fill(query);
      await list.first().waitFor();
      return list.allTextContents();
    };
    // Every operation and webhook whose official name is its own (not shared with another).
    const byName = new Map<string, string[]>();
    for (const { operation } of entries) {
      const { chinese } = names(String(operation.summary));
      if (chinese) byName.set(chinese, [...(byName.get(chinese) ?? []), String(operation.summary)]);
    }
    const ranks: string[] = [];
    for (const [chinese, [summary, ...others]] of byName) {
      if (others.length > 0) continue;
      const [first] = await results(chinese);
      if (!first?.endsWith(summary as string)) ranks.push(`${chinese}: first is ${first}`);
    }
    expect(byName.size).toBeGreaterThan(40);
    expect(ranks).toEqual([]);

    const coupon = await results("券");
    expect(coupon.length).toBeGreaterThan(5);
    expect(coupon[0]).toContain("券");
    await input.fill("");
  }, 180_000);
});

/** Screen sizes a reader uses: the two desktop sizes and a phone. */
const DESKTOPS = [
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const;
const PHONE = { width: 390, height: 844 } as const;

/** The elements holding code or a JSON sample that scroll sideways (scrollWidth > clientWidth). */
async function sidewaysScrolling(p: Page) {
  return p.evaluate(() =>
    [
      ...document.querySelectorAll(
        ".redoc-wrap pre, .redoc-wrap .redoc-json, .redoc-wrap [role='tabpanel']",
      ),
    ]
      .filter((e) => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.scrollWidth}/${e.clientWidth}: ${(e.textContent ?? "").slice(0, 50)}`),
  );
}

async function openOperation(p: Page, operationId: string) {
  const itemId = await p
    .locator(`li[data-item-id$="/operation/${operationId}"]`)
    .getAttribute("data-item-id");
  await p.goto(`${server.url}#${itemId}`);
  const section = p.locator(`[id="${itemId}"]`);
  await section.scrollIntoViewIfNeeded();
  return section;
}

describe("the built docs site's layout at 1440x900, 1920x1080 and on a phone", () => {
  afterAll(async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  for (const size of DESKTOPS) {
    it(`shows every sample without sideways scrolling at ${size.width}x${size.height}`, async () => {
      await page.setViewportSize(size);
      await page.goto(server.url);
      await waitForHydration(page);
      // Open every TypeScript tab, so that each operation's sample is laid out, then every
      // code block, request and response sample on the page must fit its panel.
      // Clicked in the page: one round trip instead of one scrolling click per operation.
      const opened = await page.$$eval('[role="tab"]', (tabs) => {
        const typescript = tabs.filter((tab) => tab.textContent === "TypeScript");
        for (const tab of typescript) (tab as HTMLElement).click();
        return typescript.length;
      });
      expect(opened).toBe(entries.length);
      await expect
        .poll(() => page.locator('[role="tabpanel"] pre', { hasText: CLIENT_IMPORT }).count())
        .toBe(operations.length);
      expect(await sidewaysScrolling(page)).toEqual([]);

      // The panel holds a sample's lines (code-samples.js keeps them within LINE_WIDTH) whole.
      const section = await openOperation(page, String(redeem?.operation.operationId));
      await section.getByRole("tab", { name: "TypeScript", exact: true }).click();
      const panel = await section
        .locator('[role="tabpanel"] pre')
        .filter({ hasText: CLIENT_IMPORT })
        .first()
        .evaluate((pre) => {
          const style = getComputedStyle(pre);
          const context = document
            .createElement("canvas")
            .getContext("2d") as CanvasRenderingContext2D;
          context.font = `${style.fontSize} ${style.fontFamily}`;
          const width =
            pre.clientWidth -
            Number.parseFloat(style.paddingLeft) -
            Number.parseFloat(style.paddingRight);
          return { characters: width / context.measureText("x").width };
        });
      expect(panel.characters).toBeGreaterThanOrEqual(LINE_WIDTH);
      await page.screenshot({ path: join(artifacts, `layout-${size.width}x${size.height}.png`) });
    });

    it(`keeps the example drop-down's label clear of its chevron at ${size.width}x${size.height}`, async () => {
      await page.setViewportSize(size);
      // The operation with the longest example names in its drop-downs.
      const withExamples = operations
        .map((entry) => {
          const body = deref(doc, entry.operation.requestBody);
          const examples = Object.values(body?.content?.["application/json"]?.examples ?? {});
          const longest = Math.max(
            0,
            ...examples.map((e) => String(deref(doc, e)?.summary ?? "").length),
          );
          return { entry, examples: examples.length, longest };
        })
        .filter((e) => e.examples > 1)
        .sort((a, b) => b.longest - a.longest)[0];
      if (!withExamples) throw new Error("no operation has two request examples");
      const section = await openOperation(page, String(withExamples.entry.operation.operationId));
      // The request examples sit on the Payload tab (an earlier test may have left TypeScript open).
      await section.getByRole("tab", { name: "Payload", exact: true }).click();
      const boxes = await section.locator(".dropdown-select + label").evaluateAll((labels) =>
        labels
          .filter((label) => label.getClientRects().length > 0)
          .map((label) => {
            const box = label.getBoundingClientRect();
            const chevron = label.parentElement?.querySelector("svg")?.getBoundingClientRect();
            const parent = label.parentElement?.getBoundingClientRect();
            const textEnd = box.right - Number.parseFloat(getComputedStyle(label).paddingRight);
            return {
              text: label.textContent ?? "",
              textEnd,
              chevronLeft: chevron?.left ?? Number.NaN,
              insideParent: parent ? box.right <= parent.right + 0.5 : false,
              clipped: label.scrollWidth > label.clientWidth,
            };
          }),
      );
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) {
        expect(box.textEnd, box.text).toBeLessThanOrEqual(box.chevronLeft);
        expect(box.insideParent, box.text).toBe(true);
      }
      if (size.width === 1440) {
        // A label too long for its box is cut with an ellipsis, not drawn under the chevron.
        expect(boxes.some((b) => b.clipped)).toBe(true);
      }
      await section.screenshot({
        path: join(artifacts, `dropdown-${size.width}x${size.height}.png`),
      });
    });
  }

  it("names each product area once in the sidebar", async () => {
    await page.setViewportSize(DESKTOPS[0]);
    const groups = await page.$$eval('li[data-item-id^="group/"]', (lis) =>
      lis.map((li) => {
        const heading = li.querySelector(":scope > label") as HTMLElement;
        const entries = [...li.querySelectorAll(":scope > ul > li > label")].map((l) =>
          (l.textContent ?? "").trim(),
        );
        return {
          heading: (heading.textContent ?? "").trim(),
          headingShown: heading.getClientRects().length > 0,
          entries,
        };
      }),
    );
    expect(groups.map((g) => g.heading)).toEqual(tagGroups.map((g) => g.name));
    for (const group of groups) {
      // Either the heading is shown and no entry repeats it, or the first entry is the heading.
      const repeated = group.entries.some((e) => e.toLowerCase() === group.heading.toLowerCase());
      if (group.headingShown) expect(repeated, group.heading).toBe(false);
      else expect(group.entries[0], group.heading).toBe(group.heading);
    }
    await page.locator(".menu-content").screenshot({ path: join(artifacts, "sidebar.png") });
  });

  it("gives the phone's menu button a bar of its own, so it covers no text", async () => {
    await page.setViewportSize(PHONE);
    await page.goto(server.url);
    await waitForHydration(page);
    const button = page.locator(".redoc-wrap > .menu-content + div");
    const bar = await button.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const background = getComputedStyle(el).backgroundColor;
      return { left: box.left, right: box.right, top: box.top, bottom: box.bottom, background };
    });
    expect(bar.left).toBe(0);
    expect(bar.right).toBe(PHONE.width);
    expect(bar.bottom).toBe(PHONE.height);
    // Opaque: nothing shows through, so no text is drawn beside or under the button.
    expect(bar.background).toMatch(/^rgb\(/);

    // The page's end scrolls clear of the bar: its last line of text ends above it.
    await page.screenshot({ path: join(artifacts, "phone.png") });
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const lastText = await page.evaluate(() => {
      const walker = document.createTreeWalker(
        document.querySelector(".api-content") as Node,
        NodeFilter.SHOW_TEXT,
      );
      let bottom = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!(node.textContent ?? "").trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects())
          if (rect.height > 0) bottom = Math.max(bottom, rect.bottom);
      }
      return bottom;
    });
    expect(lastText).toBeGreaterThan(0);
    expect(lastText).toBeLessThanOrEqual(bar.top);
    await page.screenshot({ path: join(artifacts, "phone-end.png") });

    // And it still opens the menu, which ends at the bar: its last entry scrolls into view above it.
    await button.click();
    const menu = page.locator(".menu-content");
    await expect
      .poll(() => menu.evaluate((m) => m.getBoundingClientRect().width))
      .toBeGreaterThan(PHONE.width / 2);
    expect(await menu.evaluate((m) => m.getBoundingClientRect().bottom)).toBeLessThanOrEqual(
      bar.top,
    );
    const last = menu.locator('li[data-item-id^="group/"]').last();
    await last.scrollIntoViewIfNeeded();
    const lastBox = await last.boundingBox();
    expect(lastBox && lastBox.y + lastBox.height).toBeLessThanOrEqual(bar.top);
    await page.screenshot({ path: join(artifacts, "phone-menu.png") });
    await button.click();
  });
});

describe("the built site's Chinese font", () => {
  it("holds exactly the CJK characters of the page, declared for exactly those, with its license", async () => {
    const html = readFileSync(join(dist, "index.html"), "utf8");
    const characters = cjkCharacters(html);
    expect(characters.length).toBeGreaterThan(100);
    expect(await fontCodePoints(readFileSync(join(dist, CJK_FONT_FILE)))).toEqual(characters);
    expect(html).toContain(`unicode-range: ${unicodeRange(characters)};`);
    const license = readFileSync(join(dist, CJK_FONT_LICENSE_FILE), "utf8");
    expect(license).toContain("SIL OPEN FONT LICENSE Version 1.1");
    expect(license).toContain("Copyright notice in the font:");
  });
});
