// `pnpm start`: a short merchant-coupon campaign and a cash-coupon chapter through the typed client
// against a local sandbox. Every call is signed by the client, checked and answered (signed) by the
// sandbox, and verified by the client; users receive the merchant coupon through the send-coupon
// plug-in and H5发券 (APIv2-signed by the merchant's server), and each COUPON.SEND and COUPON.USE
// notification is verified and decrypted by our own receiver. Exits non-zero if any step fails;
// stops everything it started.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { crc32, deflateSync } from "node:zlib";

// `pnpm start` builds these first.
import { createMarketingClient, parseNotification } from "@wechatpay-marketing/client";
import { startSandbox } from "@wechatpay-marketing/sandbox";
import {
  buildH5CouponUrl,
  buildSendCouponPayload,
  parseSendCouponResult,
} from "@wechatpay-marketing/signer/coupon-delivery";

const APPID = "wx8888888888888888";
const OPENID = "oDemoUser0000000000000001";
const H5_OPENID = "oDemoUser0000000000000002";
const calls = [];
const at = (days) =>
  `${new Date(Date.now() + days * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

/** A real PNG logo: `size` x `size` pixels of WeChat green, built by hand (IHDR, IDAT, IEND). */
function logoPng(size = 8) {
  const chunk = (type, data) => {
    const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const frame = Buffer.alloc(8 + data.length + 4);
    frame.writeUInt32BE(data.length, 0);
    typed.copy(frame, 4);
    frame.writeUInt32BE(crc32(typed), 8 + data.length);
    return frame;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const row = Buffer.from([0, ...Array.from({ length: size }, () => [7, 193, 96]).flat()]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", header),
      chunk("IDAT", deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

/** A fetch that prints each call: method, path, status, latency. */
function loggingFetch(request) {
  const started = performance.now();
  const { pathname } = new URL(request.url);
  return fetch(request).then((response) => {
    const ms = performance.now() - started;
    calls.push({ method: request.method, path: pathname, status: response.status, ms });
    console.log(
      `    ${request.method.padEnd(5)} ${pathname}  ${response.status}  ${ms.toFixed(1)} ms`,
    );
    return response;
  });
}

/** Runs one step: its openapi-fetch result must be 2xx, or the demo fails. */
async function step(title, call) {
  console.log(`\n• ${title}`);
  const result = await call();
  if (result?.response && !result.response.ok) {
    throw new Error(`${title}: HTTP ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result?.data;
}

// Our notification receiver: verifies the signature, decrypts the resource, answers 204.
const notifications = [];
let sandbox;
const receiver = createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk) => {
    body += chunk;
  });
  request.on("end", () => {
    parseNotification({ headers: request.headers, body }, sandbox.notificationOptions).then(
      (notification) => {
        notifications.push(notification);
        response.writeHead(204).end();
      },
      (error) => {
        console.error(`    receiver refused a notification: ${error.message}`);
        response.writeHead(401).end();
      },
    );
  });
});

let failed = false;
const began = performance.now();
try {
  sandbox = await startSandbox({
    strictResponses: true,
    notificationRetryDelaysMs: [100, 200, 400],
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const notifyUrl = `https://127.0.0.1:${receiver.address().port}/wechatpay/coupon-events`;
  console.log(`WeChat Pay marketing sandbox on ${sandbox.url} (merchant ${sandbox.mchid})`);
  const client = createMarketingClient({ ...sandbox.clientOptions, fetch: loggingFetch });

  // WeChat Pay shows only logos it hosts: upload first, then use the URL it answers.
  const png = logoPng();
  const { media_url: logoUrl } = await step("Upload the logo (图片上传(营销专用))", () =>
    client.uploadImage(png, "logo.png"),
  );
  console.log(`    ${png.length}-byte PNG -> ${logoUrl}`);

  const { stock_id: stockId } = await step("Create a merchant coupon stock (创建商家券)", () =>
    client.POST("/v3/marketing/busifavor/stocks", {
      body: {
        stock_name: "开业满100减10",
        belong_merchant: sandbox.mchid,
        goods_name: "全场通用",
        stock_type: "NORMAL",
        coupon_use_rule: {
          coupon_available_time: { available_begin_time: at(-1), available_end_time: at(30) },
          fixed_normal_coupon: { discount_amount: 1000, transaction_minimum: 10000 },
          use_method: "OFF_LINE",
        },
        stock_send_rule: { max_coupons: 100, max_coupons_per_user: 1 },
        out_request_no: `demo-stock-${randomUUID()}`,
        coupon_code_mode: "MERCHANT_UPLOAD",
        notify_config: { notify_appid: APPID },
        display_pattern_info: { merchant_logo_url: logoUrl, merchant_name: "沙箱咖啡" },
      },
    }),
  );
  console.log(`    stock ${stockId}`);

  const stock = await step("Read it back (查询商家券详情)", () =>
    client.GET("/v3/marketing/busifavor/stocks/{stock_id}", {
      params: { path: { stock_id: stockId } },
    }),
  );
  console.log(
    `    ${stock.stock_name}: ${stock.stock_state}, budget ${stock.stock_send_rule.max_coupons} coupons, logo ${stock.display_pattern_info?.merchant_logo_url === logoUrl ? "as uploaded" : "missing"}`,
  );

  const upload = await step("Upload coupon codes (上传预存code)", () =>
    client.POST("/v3/marketing/busifavor/stocks/{stock_id}/couponcodes", {
      params: { path: { stock_id: stockId } },
      body: {
        coupon_code_list: Array.from(
          { length: 5 },
          (_, i) => `DEMO${String(i + 1).padStart(4, "0")}`,
        ),
        upload_request_no: `demo-upload-${randomUUID()}`,
      },
    }),
  );
  console.log(`    ${upload.success_count} of ${upload.total_count} codes accepted`);

  await step("Set the notify URL (设置商家券事件通知地址)", () =>
    client.POST("/v3/marketing/busifavor/callbacks", {
      body: { mchid: sandbox.mchid, notify_url: notifyUrl },
    }),
  );

  // Delivery: the merchant's server signs with the APIv2 key (HMAC-SHA256), the user's WeChat
  // does the rest; the sandbox stands in for the plug-in's backend and the H5 page.
  const payload = await buildSendCouponPayload(
    {
      send_coupon_merchant: sandbox.mchid,
      send_coupon_params: [
        { stock_id: stockId, out_request_no: `demo${randomUUID().slice(0, 8)}` },
      ],
    },
    sandbox.apiV2Key,
  );
  console.log(
    "\n• The server builds the send-coupon plug-in payload (小程序发券插件, APIv2 HMAC-SHA256)",
  );
  console.log(
    `    { send_coupon_params: [1 coupon], sign: ${payload.sign.slice(0, 12)}…, send_coupon_merchant: ${payload.send_coupon_merchant} }`,
  );

  console.log("\n• The user taps the button in <send-coupon>: the plug-in's request");
  const pluginAnswer = await loggingFetch(
    new Request(`${sandbox.actionUrl}/busifavor/sendcoupon`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...payload, appid: APPID, openid: OPENID }),
    }),
  );
  const delivered = parseSendCouponResult(await pluginAnswer.json());
  const [coupon] = delivered.coupons;
  if (delivered.status !== "ok" || coupon?.status !== "received") {
    throw new Error(`plug-in delivery failed: ${JSON.stringify(delivered)}`);
  }
  console.log(
    `    errcode ${delivered.errcode}; ${coupon.stock_id}: ${coupon.code}, coupon ${coupon.coupon_code}`,
  );

  /** Waits for the verified COUPON.SEND of a coupon code. */
  async function couponSendOf(code) {
    const deadline = Date.now() + 5000;
    const find = () => notifications.find((n) => n.resource.coupon_code === code);
    while (!find() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const found = find();
    if (!found) throw new Error(`no verified COUPON.SEND notification arrived for ${code}`);
    const { resource } = found;
    console.log(
      `    verified ${found.eventType}: coupon ${resource.coupon_code} of stock ${resource.stock_id} to ${resource.openid} via ${resource.send_channel}`,
    );
    return found;
  }
  await couponSendOf(coupon.coupon_code);

  console.log(
    "\n• H5发券 to a second user: the server signs a link, the user opens it and taps 领券",
  );
  const link = await buildH5CouponUrl(
    {
      stock_id: stockId,
      out_request_no: `demo${randomUUID().replaceAll("-", "").slice(0, 16)}`,
      send_coupon_merchant: sandbox.mchid,
      open_id: H5_OPENID,
    },
    sandbox.apiV2Key,
    { baseUrl: sandbox.actionUrl },
  );
  console.log(`    ${link.replace(/sign=[0-9A-F]{12}[0-9A-F]+/, (m) => `${m.slice(0, 17)}…`)}`);
  const h5Page = await loggingFetch(new Request(link));
  if (!h5Page.ok || !(await h5Page.text()).includes("领券"))
    throw new Error("the H5 page did not open");
  const h5Answer = await loggingFetch(new Request(link.split("#")[0], { method: "POST" }));
  const h5 = parseSendCouponResult(await h5Answer.json());
  const [h5Coupon] = h5.coupons;
  if (h5.status !== "ok" || h5Coupon?.status !== "received") {
    throw new Error(`H5 delivery failed: ${JSON.stringify(h5)}`);
  }
  console.log(`    ${h5Coupon.code}, coupon ${h5Coupon.coupon_code}`);
  await couponSendOf(h5Coupon.coupon_code);

  const used = await step("Use the coupon (核销用户券)", () =>
    client.POST("/v3/marketing/busifavor/coupons/use", {
      body: {
        coupon_code: coupon.coupon_code,
        stock_id: stockId,
        appid: APPID,
        openid: OPENID,
        use_time: at(0),
        use_request_no: `demo-use-${randomUUID()}`,
      },
    }),
  );
  console.log(`    used at ${used.wechatpay_use_time}`);

  const partner = { type: "APPID", appid: "wx4e1916a585d1f4e9" };
  const partnership = await step("Build a partnership (建立合作关系)", () =>
    client.POST("/v3/marketing/partnerships/build", {
      params: { header: { "Idempotency-Key": `demo-build-${randomUUID()}` } },
      body: { partner, authorized_data: { business_type: "BUSIFAVOR_STOCK", stock_id: stockId } },
    }),
  );
  console.log(`    ${partnership.state} with ${partner.appid}`);

  const partnerships = await step("List partnerships (查询合作关系列表)", () =>
    client.GET("/v3/marketing/partnerships", {
      params: {
        query: {
          partner: { type: "APPID" },
          authorized_data: { business_type: "BUSIFAVOR_STOCK" },
          offset: 0,
          limit: 5,
        },
      },
    }),
  );
  console.log(`    ${partnerships.total_count} partnership(s)`);

  const { activity_id: activityId } = await step(
    "Create a pay-gift activity (创建全场满额送活动)",
    () =>
      client.POST("/v3/marketing/paygiftactivity/unique-threshold-activity", {
        body: {
          activity_base_info: {
            activity_name: "满200送10元券",
            activity_second_title: "支付即得，下次到店可用",
            merchant_logo_url: logoUrl,
            begin_time: at(0),
            end_time: at(20),
            out_request_no: `demo-activity-${Date.now()}`,
            delivery_purpose: "OFF_LINE_PAY",
          },
          award_send_rule: {
            award_type: "BUSIFAVOR",
            merchant_option: "MANUAL_INPUT_MERCHANT",
            transaction_amount_minimum: 20000,
            send_content: "SINGLE_COUPON",
            award_list: [{ stock_id: stockId }],
            merchant_id_list: [sandbox.mchid],
          },
        },
      }),
  );
  console.log(`    activity ${activityId}`);

  const activities = await step("List pay-gift activities (获取支付有礼活动列表)", () =>
    client.GET("/v3/marketing/paygiftactivity/activities", {
      params: { query: { offset: 0, limit: 10 } },
    }),
  );
  console.log(
    `    ${activities.total_count} activity(ies): ${activities.data.map((a) => a.activity_status).join(", ")}`,
  );

  const added = await step("Add an issuing merchant (新增活动发券商户号)", () =>
    client.POST("/v3/marketing/paygiftactivity/activities/{activity_id}/merchants/add", {
      params: { path: { activity_id: activityId } },
      body: { merchant_id_list: ["1900000002"], add_request_no: `demo-add-${randomUUID()}` },
    }),
  );
  console.log(`    invalid ids: ${added.invalid_merchant_id_list.length}`);

  await step("Delete it again (删除活动发券商户号)", () =>
    client.POST("/v3/marketing/paygiftactivity/activities/{activity_id}/merchants/delete", {
      params: { path: { activity_id: activityId } },
      body: { merchant_id_list: ["1900000002"], delete_request_no: `demo-delete-${randomUUID()}` },
    }),
  );

  const terminated = await step("Terminate the activity (终止活动)", () =>
    client.POST("/v3/marketing/paygiftactivity/activities/{activity_id}/terminate", {
      params: { path: { activity_id: activityId } },
    }),
  );
  console.log(`    terminated at ${terminated.terminate_time}`);

  console.log("\n── Cash coupons (代金券) ──");
  const { stock_id: cashStockId } = await step("Create a cash coupon stock (创建代金券批次)", () =>
    client.POST("/v3/marketing/favor/coupon-stocks", {
      body: {
        stock_name: "新客满50减5",
        belong_merchant: sandbox.mchid,
        available_begin_time: at(0),
        available_end_time: at(1),
        stock_use_rule: {
          max_coupons: 100,
          max_amount: 50000,
          max_coupons_per_user: 1,
          natural_person_limit: true,
          prevent_api_abuse: true,
        },
        pattern_info: { description: "全场通用，每单限用一张", merchant_logo: logoUrl },
        coupon_use_rule: { fixed_normal_coupon: { coupon_amount: 500, transaction_minimum: 5000 } },
        no_cash: false,
        stock_type: "NORMAL",
        out_request_no: `demo-favor-${randomUUID()}`,
      },
    }),
  );
  console.log(`    stock ${cashStockId}, unactivated until started`);

  const started = await step("Start it (激活代金券批次)", () =>
    client.POST("/v3/marketing/favor/stocks/{stock_id}/start", {
      params: { path: { stock_id: cashStockId } },
      body: { stock_creator_mchid: sandbox.mchid },
    }),
  );
  console.log(
    `    running since ${started.start_time}; the prepaid budget (500 yuan) is locked from the balance`,
  );

  await step("Set the cash coupon notify URL (设置代金券消息通知地址)", () =>
    client.POST("/v3/marketing/favor/callbacks", {
      body: { mchid: sandbox.mchid, notify_url: notifyUrl },
    }),
  );

  const { coupon_id: cashCouponId } = await step(
    "Send a coupon to a user (发放指定批次的代金券)",
    () =>
      client.POST("/v3/marketing/favor/users/{openid}/coupons", {
        params: { path: { openid: OPENID } },
        body: {
          stock_id: cashStockId,
          out_request_no: `demo-send-${randomUUID()}`,
          appid: APPID,
          stock_creator_mchid: sandbox.mchid,
        },
      }),
  );
  console.log(`    coupon ${cashCouponId} for ${OPENID}`);

  console.log("\n• The user pays 68 yuan with it (sandbox control API), and COUPON.USE arrives");
  const paid = await loggingFetch(
    new Request(`${sandbox.url}/sandbox/favor/users/${OPENID}/coupons/${cashCouponId}/pay`, {
      method: "POST",
      headers: sandbox.controlHeaders,
      body: JSON.stringify({ order_amount: 6800 }),
    }),
  );
  if (!paid.ok) throw new Error(`paying: HTTP ${paid.status} ${await paid.text()}`);
  const payment = await paid.json();
  const useDeadline = Date.now() + 5000;
  const isUse = (n) => n.eventType === "COUPON.USE";
  while (!notifications.some(isUse) && Date.now() < useDeadline)
    await new Promise((r) => setTimeout(r, 20));
  const use = notifications.find(isUse);
  if (!use) throw new Error("no verified COUPON.USE notification arrived");
  console.log(
    `    verified ${use.eventType}: coupon ${use.resource.coupon_id} ${use.resource.status}, ` +
      `transaction ${use.resource.consume_information?.transaction_id}, the user paid ${(payment.payer_total / 100).toFixed(2)} yuan`,
  );

  const coupon2 = await step("Read the coupon (查询代金券详情)", () =>
    client.GET("/v3/marketing/favor/users/{openid}/coupons/{coupon_id}", {
      params: { path: { openid: OPENID, coupon_id: cashCouponId }, query: { appid: APPID } },
    }),
  );
  console.log(`    ${coupon2.coupon_name}: ${coupon2.status}`);

  // The use flow is ready from 10:00 the day after the stock ends: move the sandbox's clock on.
  console.log("\n• Three days later (the sandbox moves its business clock on)");
  sandbox.advanceClock(3 * 86_400);
  const flow = await step("Get the use flow link (下载批次核销明细)", () =>
    client.GET("/v3/marketing/favor/stocks/{stock_id}/use-flow", {
      params: { path: { stock_id: cashStockId } },
    }),
  );
  const bill = await client.downloadBill(flow);
  const rows = bill.text().trim().split("\n");
  console.log(
    `    downloaded ${bill.bytes.length} bytes, ${rows.length - 1} use(s); SHA-1 ${bill.sha1} matches the link's ${flow.hash_type}`,
  );

  if (sandbox.violations.length > 0) {
    throw new Error(`the sandbox broke the document:\n${sandbox.violations.join("\n")}`);
  }
} catch (error) {
  failed = true;
  console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
} finally {
  receiver.close();
  await sandbox?.close();
}

const total = calls.reduce((sum, c) => sum + c.ms, 0);
console.log(
  `\n${failed ? "✗ Demo failed" : "✓ Demo complete"}: ${calls.length} calls (${calls.filter((c) => c.status < 300).length} succeeded, ` +
    `${(total / Math.max(calls.length, 1)).toFixed(1)} ms on average), ${notifications.length} notification(s) verified, ` +
    `${((performance.now() - began) / 1000).toFixed(2)} s in all.`,
);
process.exitCode = failed ? 1 : 0;
