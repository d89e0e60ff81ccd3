#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startSandbox } from "./server.js";

const HELP = `wechatpay-marketing-sandbox: a local, signing WeChat Pay marketing API simulator

Usage: wechatpay-marketing-sandbox [options]

Options:
  --port <n>                  port on 127.0.0.1 (default 0: any free port)
  --host <addr>               interface (default 127.0.0.1)
  --mchid <digits>            merchant id (default 1900000001)
  --serial-no <hex>           merchant certificate serial (default: generated)
  --merchant-key <file>       merchant private key PEM (default: generated RSA-2048)
  --platform-key <file>       platform private key PEM (default: generated RSA-2048)
  --platform-mode <mode>      public-key (default) | certificate | both
  --api-v3-key <32 chars>     APIv3 key for notifications (default: generated)
  --api-v2-key <32 chars>     APIv2 key for the send-coupon plug-in and H5发券 (default: generated)
  --appid <appid>             an AppID bound to the merchant (repeatable)
  --notify-retry <ms,ms,...>  delays between notification retries (default: 60 s x 10)
  --control-token <token>     the X-Sandbox-Token the control API requires (default: random)
  --strict                    check every answer against the document (500 on a mismatch)
  --ignore-unknown-fields     drop request fields the document does not declare, as the real
                              service may (default: refuse them with PARAM_ERROR naming them)
  --quiet                     do not log requests
  -h, --help                  show this help

Prints the client options (JSON, with apiV3Key, controlToken, apiV2Key and actionUrl) on
stdout, then one line per request on stderr.
Control API (every request with the header X-Sandbox-Token: <controlToken>, POSTs as
application/json): GET /sandbox, POST /sandbox/users/{openid}/coupons, POST /sandbox/clock,
POST /sandbox/product-coupons/claim, GET /sandbox/notifications, POST|GET|DELETE /sandbox/faults.
Coupon delivery (APIv2-signed, no token): POST /sandbox-action/busifavor/sendcoupon (the
plug-in), GET|POST /sandbox-action/busifavor/getcouponinfo (H5发券), GET /sandbox-action/mini-program.`;

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    mchid: { type: "string" },
    "serial-no": { type: "string" },
    "merchant-key": { type: "string" },
    "platform-key": { type: "string" },
    "platform-mode": { type: "string" },
    "api-v3-key": { type: "string" },
    "api-v2-key": { type: "string" },
    appid: { type: "string", multiple: true },
    "notify-retry": { type: "string" },
    "control-token": { type: "string" },
    strict: { type: "boolean" },
    "ignore-unknown-fields": { type: "boolean" },
    quiet: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const mode = values["platform-mode"];
if (mode !== undefined && mode !== "public-key" && mode !== "certificate" && mode !== "both") {
  process.stderr.write("--platform-mode must be public-key, certificate or both\n");
  process.exit(2);
}
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write("--port must be an integer from 0 to 65535\n");
  process.exit(2);
}

const controlToken = values["control-token"];
if (controlToken !== undefined && !/^[A-Za-z0-9_-]{16,256}$/.test(controlToken)) {
  // Never echo the value: it is a secret.
  process.stderr.write("--control-token must be 16 to 256 characters of A-Z a-z 0-9 - _\n");
  process.exit(2);
}

const sandbox = await startSandbox({
  port,
  ...(values.host ? { host: values.host } : {}),
  ...(values.mchid ? { mchid: values.mchid } : {}),
  ...(values["serial-no"] ? { serialNo: values["serial-no"] } : {}),
  ...(values["merchant-key"]
    ? { merchantPrivateKey: readFileSync(values["merchant-key"], "utf8") }
    : {}),
  ...(values["platform-key"]
    ? { platformPrivateKey: readFileSync(values["platform-key"], "utf8") }
    : {}),
  ...(mode ? { platformKeyMode: mode } : {}),
  ...(values["api-v3-key"] ? { apiV3Key: values["api-v3-key"] } : {}),
  ...(values["api-v2-key"] ? { apiV2Key: values["api-v2-key"] } : {}),
  ...(values.appid ? { appids: values.appid } : {}),
  ...(values["notify-retry"]
    ? { notificationRetryDelaysMs: values["notify-retry"].split(",").map(Number) }
    : {}),
  ...(controlToken ? { controlToken } : {}),
  strictResponses: values.strict ?? false,
  unknownFields: values["ignore-unknown-fields"] ? "ignore" : "refuse",
  ...(values.quiet
    ? {}
    : {
        onRequest: (e) =>
          process.stderr.write(
            `${e.method} ${e.url} -> ${e.status}${e.code ? ` ${e.code}` : ""} (${e.ms.toFixed(1)} ms)\n`,
          ),
      }),
});

process.stdout.write(
  `${JSON.stringify(
    {
      ...sandbox.clientOptions,
      apiV3Key: sandbox.apiV3Key,
      controlToken: sandbox.controlToken,
      apiV2Key: sandbox.apiV2Key,
      actionUrl: sandbox.actionUrl,
    },
    null,
    2,
  )}\n`,
);
process.stderr.write(`sandbox listening on ${sandbox.url} (Ctrl+C to stop)\n`);

const stop = () => {
  sandbox.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
