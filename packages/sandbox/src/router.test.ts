import { operations, type SpecOperation } from "@wechatpay-marketing/openapi";
import { describe, expect, it } from "vitest";
import { createRouter } from "./router.js";

/** A made-up operation with just what routing reads. */
const operation = (method: "GET" | "POST", path: string, operationId: string) =>
  ({
    operationId,
    method,
    path,
    key: `${method} ${path}`,
    tags: [],
    summary: "",
    pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
    definition: { responses: {} },
    pathItem: {},
  }) as unknown as SpecOperation;

describe("createRouter", () => {
  // The two templates both match /a/b/c/d. Counting parameters would pick the first (one
  // parameter against two); segment by segment, `b` is literal in the second at the first
  // place they differ, so the second wins.
  const router = createRouter([
    operation("GET", "/a/{x}/c/d", "fewerParameters"),
    operation("GET", "/a/b/{y}/{z}", "literalFirst"),
    operation("GET", "/a/{x}/c/{w}", "templateOnly"),
    operation("POST", "/v/{id}", "postOnly"),
  ]);

  it("gives a literal segment precedence over a template, segment by segment", () => {
    expect(router.match("GET", "/a/b/c/d")).toMatchObject({
      operation: { operationId: "literalFirst" },
      params: { y: "c", z: "d" },
    });
    // Where the second segment is not `b`, the first literal that differs decides: `d` beats `{w}`.
    expect(router.match("GET", "/a/q/c/d")?.operation.operationId).toBe("fewerParameters");
    expect(router.match("GET", "/a/q/c/e")).toMatchObject({
      operation: { operationId: "templateOnly" },
      params: { x: "q", w: "e" },
    });
  });

  it("decodes parameter values and refuses empty segments and trailing slashes", () => {
    expect(router.match("GET", "/a/q%2Fr/c/%E5%88%B8")?.params).toEqual({ x: "q/r", w: "券" });
    expect(router.match("GET", "/a/%E0%A4%A/c/d")?.params).toEqual({ x: "%E0%A4%A" });
    expect(router.match("GET", "/a//c/d")).toBeUndefined();
    expect(router.match("GET", "/a/b/c/d/")).toBeUndefined();
    expect(router.match("GET", "/")).toBeUndefined();
  });

  it("matches the method, and knows a path served with another one", () => {
    expect(router.match("post", "/v/1")?.operation.operationId).toBe("postOnly");
    expect(router.match("GET", "/v/1")).toBeUndefined();
    expect(router.pathExists("/v/1")).toBe(true);
    expect(router.pathExists("/v/1/2")).toBe(false);
    expect(router.pathExists("/v/1/")).toBe(false);
  });

  it("routes every operation of the bundled document to itself", () => {
    const all = operations();
    const documentRouter = createRouter(all);
    for (const o of all) {
      const concrete = o.path.replace(/\{[^}]+\}/g, "P1");
      const found = documentRouter.match(o.method, concrete);
      // A concrete path may be a literal route of another operation: then that one is meant.
      const literal = all.find((other) => other.method === o.method && other.path === concrete);
      expect(found?.operation.key, o.key).toBe((literal ?? o).key);
    }
  });
});
