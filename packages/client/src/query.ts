/**
 * WeChat Pay reads some query parameters as JSON documents (e.g. `partner` and `authorized_data` of
 * GET /v3/marketing/partnerships), so objects are sent as JSON text, never as openapi-fetch's
 * default `deepObject` (`partner[type]=APPID`), which the service does not understand.
 */
export function serializeQuery(query: Record<string, unknown>): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const text = typeof value === "object" ? JSON.stringify(value) : String(value);
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(text)}`);
  }
  return pairs.join("&");
}
