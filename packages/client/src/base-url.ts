/** The primary APIv3 host; `https://api2.mch.weixin.qq.com` is the backup in another site (failover.ts). */
export const DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com";
