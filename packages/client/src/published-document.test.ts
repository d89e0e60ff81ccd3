import { document } from "@wechatpay-marketing/openapi";
import openapiTS, { astToString } from "openapi-typescript";
import { beforeAll, describe, expect, it } from "vitest";

// What a generator other than ours gets from the published document: plain openapi-typescript,
// without scripts/generator's preparation. The conditional rules are discriminated unions there
// too, and the JSON-in-query filters are named object schemas the parameters point at.

// biome-ignore lint/suspicious/noExplicitAny: the published document, read as JSON
type Json = Record<string, any>;
const published = document as Json;

let source: string;
beforeAll(async () => {
  source = astToString(await openapiTS(structuredClone(published) as never, { silent: true }));
}, 60_000);

describe("the published document read by plain openapi-typescript", () => {
  it("types every conditional rule as a union of its variants", () => {
    for (const [union, variants] of [
      ["PartnershipPartner", ["PartnershipAppidPartner", "PartnershipMerchantPartner"]],
      ["PartnershipAuthorizedData", ["PartnershipFavorStockData", "PartnershipBusifavorStockData"]],
      [
        "CreateBusifavorStockRequest",
        [
          "CreateBusifavorNormalStockRequest",
          "CreateBusifavorDiscountStockRequest",
          "CreateBusifavorExchangeStockRequest",
        ],
      ],
      ["BusifavorCouponUseRule", ["BusifavorMiniProgramsUseRule", "BusifavorDirectUseRule"]],
      [
        "PayGiftActivityBaseInfo",
        ["PayGiftActivityInStorePurpose", "PayGiftActivityMiniAppPurpose"],
      ],
      [
        "PayGiftActivityUniqueThresholdAwardSendRule",
        ["PayGiftActivitySingleCouponAwards", "PayGiftActivityGiftPackageAwards"],
      ],
    ] as const) {
      const line = source.split("\n").find((l) => l.trimStart().startsWith(`${union}:`));
      expect(line, union).toBe(
        `        ${union}: ${variants.map((v) => `components["schemas"]["${v}"]`).join(" | ")};`,
      );
    }
  });

  it("sends the partnership filters as JSON text whose shape is a named object schema", () => {
    const parameters = published.paths["/v3/marketing/partnerships"].get.parameters as Json[];
    for (const [name, schema] of [
      ["partner", "PartnershipPartnerFilter"],
      ["authorized_data", "PartnershipAuthorizedDataFilter"],
    ] as const) {
      const parameter = parameters.find((p) => p.name === name) as Json;
      // OpenAPI's way to say "JSON on the wire": content, not schema + style.
      expect(parameter.schema).toBeUndefined();
      expect(parameter.content["application/json"].schema).toEqual({
        $ref: `#/components/schemas/${schema}`,
      });
      expect(parameter.description).toContain(`components["schemas"]["${schema}"]`);
      expect(published.components.schemas[schema].type).toBe("object");
      // openapi-typescript reads parameters by `schema` only, so the parameter is text there, and
      // the named schema carries the object's shape.
      const declared = source.slice(source.indexOf(`${schema}: {`));
      expect(declared.slice(0, declared.indexOf("};")), schema).toMatch(/\b(type|business_type): /);
    }
  });
});
