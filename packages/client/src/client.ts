import { createSignerMiddleware, type SignerOptions } from "@wechatpay-marketing/signer";
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { paths } from "./generated/marketing.gen.js";
import { serializeQuery } from "./query.js";

/** The primary APIv3 host; `https://api2.mch.weixin.qq.com` is the backup in another site. */
export const DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com";

export interface MarketingClientOptions extends SignerOptions {
  /** Default `https://api.mch.weixin.qq.com`. Point it at the sandbox for offline work. */
  baseUrl?: string | undefined;
  /** A fetch to send requests with (default: the global fetch). */
  fetch?: ClientOptions["fetch"] | undefined;
  /** Extra headers sent with every request. */
  headers?: ClientOptions["headers"] | undefined;
}

/** openapi-fetch's client over every marketing path, signing and verifying every call. */
export type MarketingClient = Client<paths>;

/**
 * Creates the typed client. Options are validated here, synchronously: a bad key, serial or mchid
 * throws a `ConfigError` naming the option before any request is made.
 */
export function createMarketingClient(options: MarketingClientOptions): MarketingClient {
  const { baseUrl = DEFAULT_BASE_URL, fetch, headers, ...signerOptions } = options;
  const client = createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ""),
    querySerializer: serializeQuery,
    ...(fetch ? { fetch } : {}),
    ...(headers ? { headers } : {}),
  });
  client.use(createSignerMiddleware(signerOptions));
  return client;
}
