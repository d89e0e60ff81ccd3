import { existsSync, readFileSync } from "node:fs";
import { COUPON_VECTORS_PATH } from "./helpers.js";

interface VectorBase {
  id: string;
  description: string;
  key: string;
  signedParams: Record<string, string>;
  stringToSign: string;
  sign: string;
}

export type CouponVector =
  | (VectorBase & {
      kind: "plugin";
      inputs: { send_coupon_merchant: string; send_coupon_params: Record<string, string>[] };
      pluginAttributes: unknown;
    })
  | (VectorBase & { kind: "h5"; inputs: Record<string, string>; url: string })
  | (VectorBase & { kind: "v2-generic"; inputs: Record<string, string> });

export const hasCouponVectors = existsSync(COUPON_VECTORS_PATH);
if (!hasCouponVectors) {
  console.warn(
    `skipping coupon-delivery vector tests: ${COUPON_VECTORS_PATH} is absent (../shared is not beside this clone)`,
  );
}

export function loadCouponVectors(): CouponVector[] {
  return (JSON.parse(readFileSync(COUPON_VECTORS_PATH, "utf8")) as { vectors: CouponVector[] })
    .vectors;
}
