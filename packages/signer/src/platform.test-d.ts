import { describe, expectTypeOf, it } from "vitest";
import type * as node from "./platform.node.js";
import type * as web from "./platform.web.js";

describe("#platform", () => {
  // TypeScript resolves #platform to the node build's types; the web build must fit them.
  it("the web build fits the node build's types", () => {
    expectTypeOf<typeof web>().toExtend<typeof node>();
  });
});
