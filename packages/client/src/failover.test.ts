import { TransportError } from "@wechatpay-marketing/signer/fetch";
import { describe, expect, it } from "vitest";
import { DEFAULT_BASE_URL } from "./base-url.js";
import { BACKUP_BASE_URL, backupFor, isUnreachable } from "./failover.js";
import { TimeoutError } from "./timeout.js";

describe("the backup host", () => {
  it("is api2 for the primary host by default, none for any other, none when off", () => {
    expect(BACKUP_BASE_URL).toBe("https://api2.mch.weixin.qq.com");
    expect(backupFor(undefined, DEFAULT_BASE_URL)).toBe(BACKUP_BASE_URL);
    expect(backupFor(undefined, "http://127.0.0.1:3000")).toBeUndefined();
    expect(backupFor(false, DEFAULT_BASE_URL)).toBeUndefined();
    expect(backupFor("https://proxy.example.cn/", "http://127.0.0.1:3000")).toBe(
      "https://proxy.example.cn",
    );
  });

  it("is used only when no connection was made", () => {
    for (const reason of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"])
      expect(isUnreachable(new TransportError(reason)), reason).toBe(true);
    // The request may have reached the primary: the retry stays there.
    for (const reason of ["ECONNRESET", "UND_ERR_SOCKET", "AbortError", "unreadable-body"])
      expect(isUnreachable(new TransportError(reason)), reason).toBe(false);
    expect(isUnreachable(new TimeoutError(10, 1))).toBe(false);
  });
});
