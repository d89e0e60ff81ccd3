/**
 * The two pages a person opens in a browser: the Mini Program's page with the plug-in (a form
 * for the user and the payload your server built) and the H5发券 page a signed link opens.
 * Plain HTML with one inline script each; nothing is loaded from elsewhere.
 */
import type { StockRecord } from "../store.js";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
/** JSON inside <script>: no `</script>` or `<!--` can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

const STYLE = `body{font:15px system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1f2b27}
h1{font-size:1.3rem}label{display:block;margin:.8rem 0 .3rem}input,select,textarea{width:100%;box-sizing:border-box;font:inherit;padding:.4rem}
textarea{font-family:ui-monospace,monospace;font-size:13px}button{margin-top:1rem;padding:.6rem 1.4rem;font:inherit;background:#07C160;color:#fff;border:0;border-radius:4px}
table{border-collapse:collapse;width:100%;margin-top:1rem}td,th{border:1px solid #ccd;padding:.3rem;text-align:left;font-size:13px}pre{background:#f6f8f7;padding:.6rem;overflow:auto;font-size:12px}
.note{color:#667}.SUCCESS,.DUPREQUEST{color:#07813f}.fail{color:#b00020}`;

function page(title: string, body: string, script: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}<script>${script}</script></body></html>`;
}

// Shared by both pages: renders the plug-in's answer (the `bind:sendcoupon` event detail).
const RENDER_RESULT = `function renderResult(el, detail) {
  const rows = (detail.send_coupon_result || []).map((r) => {
    const ok = r.code === "SUCCESS" || r.code === "DUPREQUEST";
    const tr = document.createElement("tr");
    for (const v of [r.stock_id, r.out_request_no, r.coupon_code || "", r.code, r.message || ""]) {
      const td = document.createElement("td"); td.textContent = v; tr.append(td);
    }
    tr.className = ok ? r.code : "fail";
    return tr;
  });
  el.replaceChildren();
  const head = document.createElement("p");
  head.textContent = "errcode " + detail.errcode + (detail.msg ? " · " + detail.msg : "");
  head.className = detail.errcode === "OK" ? "" : "fail";
  el.append(head);
  if (rows.length) {
    const table = document.createElement("table");
    table.innerHTML = "<tr><th>stock_id</th><th>out_request_no</th><th>coupon_code</th><th>code</th><th>message</th></tr>";
    table.append(...rows);
    el.append(table);
  }
  const pre = document.createElement("pre");
  pre.textContent = JSON.stringify(detail, null, 2);
  el.append(pre);
}`;

/** The Mini Program page: `<send-coupon>` with the attributes your server built. */
export function miniProgramPage(options: {
  appids: readonly string[];
  pluginPath: string;
}): string {
  const appids = options.appids.map((a) => `<option>${escapeHtml(a)}</option>`).join("");
  const body = `<h1>小程序发券插件 · sandbox</h1>
<p class="note">This page plays the Mini Program: the user (AppID + OpenID stand for the WeChat login state) taps the button inside <code>&lt;send-coupon&gt;</code>. Paste the payload your server built with <code>buildSendCouponPayload()</code> and the sandbox's <code>apiV2Key</code>: never sign in the page.</p>
<form id="form">
<label>AppID <select name="appid">${appids}</select></label>
<label>OpenID <input name="openid" required placeholder="oUser…"></label>
<label>Payload from your server: <code>{ send_coupon_params, sign, send_coupon_merchant }</code>
<textarea name="payload" rows="9" required placeholder='{"send_coupon_params":[{"stock_id":"…","out_request_no":"…"}],"sign":"…","send_coupon_merchant":"…"}'></textarea></label>
<label><input type="checkbox" name="suggest" style="width:auto"> suggest_immediate_use (confirm button reads 立即使用, else 我知道了)</label>
<button>领取优惠券</button>
</form>
<div id="result" aria-live="polite"></div>
<div id="confirm" hidden><button id="confirm-button" type="button"></button></div>`;
  const script = `${RENDER_RESULT}
const form = document.getElementById("form");
const result = document.getElementById("result");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  let payload;
  try { payload = JSON.parse(String(data.get("payload"))); }
  catch { result.textContent = "The payload is not JSON: paste the object your server returned."; return; }
  const response = await fetch(${scriptJson(options.pluginPath)}, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...payload, appid: data.get("appid"), openid: data.get("openid") }),
  });
  const detail = await response.json();
  renderResult(result, detail); // what bind:sendcoupon receives as event.detail
  const received = (detail.send_coupon_result || []).some((r) => r.code === "SUCCESS");
  const confirm = document.getElementById("confirm-button");
  confirm.textContent = data.get("suggest") ? "立即使用" : "我知道了";
  document.getElementById("confirm").hidden = !received;
  confirm.onclick = () => { result.append(Object.assign(document.createElement("p"), { textContent: "bind:userconfirm fired" })); };
});`;
  return page("小程序发券插件 · sandbox", body, script);
}

/** The H5发券 page a signed link opens: the coupon and a 领券 button. */
export function h5CouponPage(stock: StockRecord | undefined): string {
  const d = stock?.definition;
  const rule = d?.coupon_use_rule.fixed_normal_coupon;
  const value = rule
    ? `满${rule.transaction_minimum / 100}元减${rule.discount_amount / 100}元`
    : String(d?.stock_type ?? "");
  const body = `<h1>${escapeHtml(String(d?.display_pattern_info?.merchant_name ?? "微信支付商家券"))}</h1>
<p><strong>${escapeHtml(String(d?.stock_name ?? "商家券"))}</strong></p>
<p>${escapeHtml(value)} · ${escapeHtml(String(d?.goods_name ?? ""))}</p>
<button id="take">领券</button>
<div id="result" aria-live="polite"></div>`;
  // The WeChat client needs the fragment; the server never sees it, so the page checks it.
  const script = `${RENDER_RESULT}
const result = document.getElementById("result");
const button = document.getElementById("take");
if (!/wechat_redirect$/.test(location.hash)) {
  button.hidden = true;
  result.textContent = JSON.stringify({ errcode: 268435461, msg: "缺少 #wechat_pay&wechat_redirect (or #wechat_redirect): the URL lost its fragment" });
}
button.addEventListener("click", async () => {
  button.disabled = true;
  const response = await fetch(location.pathname + location.search, { method: "POST" });
  renderResult(result, await response.json());
});`;
  return page("H5发券 · sandbox", body, script);
}
