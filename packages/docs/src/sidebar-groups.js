// @ts-check
// Sidebar group headings that only repeat the tag right under them. Every product area of the
// document (x-tagGroups) holds a tag of its own name ("Merchant coupons 商家券" in the group
// "Merchant coupons 商家券"), so Redoc drew the name twice, once as the heading and once as the
// entry that opens the operations. The build hides such a heading: the entry names the area.

/**
 * Redoc's sidebar ids (`data-item-id="group/…"`) of the groups whose heading equals the name of
 * the group's first entry, read from the prerendered page (Redoc makes the ids, not us).
 * @param {string} html the prerendered page
 * @returns {string[]}
 */
export function repeatedGroupHeadings(html) {
  const ids = [];
  const group =
    /<li\b[^>]*\bdata-item-id="(group\/[^"]*)"[^>]*\baria-label="([^"]*)"[^>]*>\s*<label\b[^>]*>[\s\S]*?<\/label>\s*<ul\b[^>]*>\s*<li\b[^>]*\baria-label="([^"]*)"/g;
  for (const match of html.matchAll(group)) {
    const [, id, heading, firstEntry] = match;
    if (id && heading === firstEntry) ids.push(id);
  }
  return ids;
}

/**
 * CSS that hides those headings (the group keeps its place and spacing in the sidebar).
 * @param {string[]} ids from repeatedGroupHeadings
 */
export function hideGroupHeadingsCss(ids) {
  if (ids.length === 0) return "";
  const selectors = ids.map((id) => `li[data-item-id=${JSON.stringify(id)}] > label`);
  return `${selectors.join(",\n")} { display: none; }`;
}
