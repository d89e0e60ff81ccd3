// ApiError.from: the error a non-2xx answer becomes, whatever shape its body has.
import { describe, expect, it } from "vitest";
import { ApiError } from "./fetch.js";

const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers });

describe("ApiError.from", () => {
  it("reads code, message, detail and the Request-ID from a JSON body it reads itself", async () => {
    const body = {
      code: "PARAM_ERROR",
      message: "参数错误",
      detail: { field: "stock_id", issue: "required" },
    };
    const response = answer(400, JSON.stringify(body), { "Request-ID": "08F2C4A0-1" });
    const error = await ApiError.from(response);
    expect(error).toMatchObject({
      name: "ApiError",
      status: 400,
      code: "PARAM_ERROR",
      message: "HTTP 400 PARAM_ERROR: 参数错误",
      detail: { field: "stock_id", issue: "required" },
      requestId: "08F2C4A0-1",
    });
    // The body was read from a clone: the caller can still read it.
    expect(await response.json()).toEqual(body);
  });

  it("takes a body already parsed (openapi-fetch's error) or given as text", async () => {
    const parsed = await ApiError.from(answer(403, ""), { code: "NO_AUTH", message: "无权限" });
    expect(parsed).toMatchObject({
      status: 403,
      code: "NO_AUTH",
      message: "HTTP 403 NO_AUTH: 无权限",
    });
    const text = await ApiError.from(answer(429, ""), '{"code":"FREQUENCY_LIMITED"}');
    expect(text).toMatchObject({
      status: 429,
      code: "FREQUENCY_LIMITED",
      message: "HTTP 429 FREQUENCY_LIMITED",
    });
  });

  it("falls back to the status when the body is not JSON, has no strings or no object detail", async () => {
    expect(await ApiError.from(answer(502, "<html>Bad Gateway</html>"))).toMatchObject({
      code: "HTTP_502",
      message: "HTTP 502",
      detail: undefined,
      requestId: undefined,
    });
    expect(
      await ApiError.from(answer(500, ""), { code: 7, message: null, detail: "not an object" }),
    ).toMatchObject({ code: "HTTP_500", message: "HTTP 500", detail: undefined });
    expect(await ApiError.from(answer(500, ""), null)).toMatchObject({ code: "HTTP_500" });
  });
});
