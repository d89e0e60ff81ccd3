// The node:http server of a sandbox: its limits, which listener serves which path, and the
// address it listens on. What each route does is passed in.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BILL_DOWNLOAD_PATH } from "./bills.js";
import { ACTION_PREFIX } from "./delivery/routes.js";
import { LIMITS } from "./limits.js";

export type RouteListener = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface SandboxRoutes {
  /** The WeChat Pay API: /v3/… */
  api: RouteListener;
  /** The control API: /sandbox and /sandbox/… */
  control: RouteListener;
  /** The send-coupon plug-in and H5发券: /sandbox-action/… */
  delivery: RouteListener;
  /** Cash coupon flow files behind their download links. */
  bill: RouteListener;
}

function routeOf(routes: SandboxRoutes, url: string | undefined): RouteListener {
  const pathname = (url ?? "/").split("?")[0] ?? "/";
  if (pathname.startsWith(`${ACTION_PREFIX}/`)) return routes.delivery;
  if (pathname === "/sandbox" || pathname.startsWith("/sandbox/")) return routes.control;
  if (pathname === BILL_DOWNLOAD_PATH) return routes.bill;
  return routes.api;
}

/**
 * A server (not yet listening) that hands each request to its route. A route that throws is a
 * sandbox bug: `onInternalError` records it and the request gets a plain 500.
 */
export function createSandboxServer(
  routes: SandboxRoutes,
  onInternalError: (error: unknown) => void,
): Server {
  const server = createServer(
    {
      maxHeaderSize: LIMITS.headerBytes,
      requestTimeout: LIMITS.requestTimeoutMs,
      headersTimeout: LIMITS.headersTimeoutMs,
    },
    (request, response) => {
      routeOf(routes, request.url)(request, response).catch((error: unknown) => {
        onInternalError(error);
        if (!response.headersSent) response.writeHead(500, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ code: "SYSTEM_ERROR", message: "sandbox internal error" }));
      });
    },
  );
  server.keepAliveTimeout = 5000;
  return server;
}

/** `http://host:port` of a listening server; empty before it listens. */
export function listeningUrl(server: Server, host: string): string {
  const address = server.address() as AddressInfo | null;
  if (!address) return "";
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
