import { BusinessError, noAuth } from "../reply.js";
import type { StockRecord } from "../store.js";
import type { SandboxScope } from "./context.js";

/** The appid must be bound to the calling merchant (APPID_MCHID_NOT_MATCH otherwise). */
export function checkAppid(
  context: SandboxScope,
  appid: string,
  location: "body" | "query" | "path",
): void {
  if (!context.appids.includes(appid)) {
    throw new BusinessError(400, "APPID_MCHID_NOT_MATCH", "appid与mchid不匹配", {
      field: location === "body" ? "/appid" : "appid",
      location,
      value: appid,
      issue: "the appid is not bound to the merchant",
    });
  }
}

/** A stock the calling merchant created (RESOURCE_NOT_EXISTS or NO_AUTH otherwise). */
export function ownStock(context: SandboxScope, stockId: string): StockRecord {
  const stock = context.store.stock(stockId);
  if (stock.creatorMchid !== context.mchid) throw noAuth("无权操作该批次");
  return stock;
}
