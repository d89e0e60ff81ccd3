import { describe, expect, it } from "vitest";
import {
  type CouponVector,
  hasCouponVectors,
  loadCouponVectors,
} from "../../test/coupon-vectors.js";
import { buildApiV2StringToSign, signApiV2 } from "./apiv2.js";
import { buildH5CouponUrl, checkH5CouponInput } from "./h5.js";
import { buildSendCouponPayload, checkSendCouponInput, flattenSendCouponParams } from "./plugin.js";

const vectors: CouponVector[] = hasCouponVectors ? loadCouponVectors() : [];

describe.skipIf(!hasCouponVectors)(
  "coupon-distribution vectors, byte for byte (needs ../shared)",
  () => {
    it("has the 12 vectors of the reference, the two published ones among them", () => {
      expect(vectors).toHaveLength(12);
      expect(vectors.filter((v) => v.id.startsWith("published-")).map((v) => v.id)).toEqual([
        "published-thenorthmemory-two-coupons",
        "published-official-v2-generic",
      ]);
    });

    for (const v of vectors) {
      it(`${v.id}: signed parameters, string to sign, sign and output`, async () => {
        if (v.kind === "plugin") {
          const { merchant, coupons } = checkSendCouponInput(v.inputs);
          // Empty values stay in the flattened set (as the vector lists them) and are skipped
          // by the string to sign.
          expect(
            flattenSendCouponParams(v.inputs.send_coupon_merchant, v.inputs.send_coupon_params),
          ).toEqual(v.signedParams);
          expect(buildApiV2StringToSign(flattenSendCouponParams(merchant, coupons), v.key)).toBe(
            v.stringToSign,
          );
          const payload = await buildSendCouponPayload(v.inputs as never, v.key);
          expect(payload.sign).toBe(v.sign);
          expect(JSON.stringify(payload)).toBe(JSON.stringify(v.pluginAttributes));
        } else if (v.kind === "h5") {
          expect(checkH5CouponInput(v.inputs)).toMatchObject(v.signedParams);
          expect(buildApiV2StringToSign(checkH5CouponInput(v.inputs), v.key)).toBe(v.stringToSign);
          expect(await buildH5CouponUrl(v.inputs as never, v.key)).toBe(v.url);
          expect(await signApiV2(v.signedParams, v.key)).toBe(v.sign);
        } else {
          expect(buildApiV2StringToSign(v.inputs, v.key)).toBe(v.stringToSign);
          expect(await signApiV2(v.inputs, v.key)).toBe(v.sign);
        }
      });
    }
  },
);
