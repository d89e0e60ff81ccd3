import { describe, expect, it } from "vitest";
import { hideGroupHeadingsCss, repeatedGroupHeadings } from "./sidebar-groups.js";

/** Redoc's prerendered sidebar markup for one group, trimmed to what matters. */
function group(id: string, heading: string, entries: string[]) {
  const items = entries
    .map(
      (e) =>
        `<li tabindex="0" depth="1" data-item-id="tag/${e}" aria-label="${e}"><label>${e}</label></li>`,
    )
    .join("");
  return `<li tabindex="0" depth="0" data-item-id="group/${id}" role="menuitem" aria-label="${heading}" aria-expanded="true" class="x"><label class="y"><span>${heading}</span></label><ul class="z">${items}</ul></li>`;
}

describe("sidebar group headings", () => {
  it("finds the groups whose heading repeats their first entry, and only those", () => {
    const html = [
      group("Merchant-coupons", "Merchant coupons 商家券", [
        "Merchant coupons 商家券",
        "Delivering coupons",
      ]),
      group("Guides", "Guides", ["Keys", "Guides"]),
      group("Images", "Marketing images 图片上传", ["Marketing images 图片上传"]),
    ].join("");
    expect(repeatedGroupHeadings(html)).toEqual(["group/Merchant-coupons", "group/Images"]);
  });

  it("hides exactly those headings' labels", () => {
    expect(hideGroupHeadingsCss(["group/A", "group/B"])).toBe(
      'li[data-item-id="group/A"] > label,\nli[data-item-id="group/B"] > label { display: none; }',
    );
    expect(hideGroupHeadingsCss([])).toBe("");
  });
});
