// The sandbox load run, shared by the load test (assertions) and `pnpm bench` (figures):
// signed requests at a fixed concurrency against one sandbox, mixing coupon use with distinct
// use_request_no, exact repeats of earlier numbers, conflicting second uses of a coupon, reads,
// and coupon sends through the control API racing the stock's budget.

const APPID = "wx8888888888888888";

function at(days) {
  return `${new Date(Date.now() + days * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

/** A small deterministic PRNG so that every run shuffles the same way. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * @param {{ sandbox: import("@wechatpay-marketing/sandbox").Sandbox, createMarketingClient: Function,
 *           signed?: number, sends?: number, concurrency?: number }} options
 */
export async function runLoad({
  sandbox,
  createMarketingClient,
  signed = 2000,
  sends = 300,
  concurrency = 32,
}) {
  const client = createMarketingClient(sandbox.clientOptions);
  const stockBody = (maxCoupons, perUser) => ({
    stock_name: "压测券",
    belong_merchant: sandbox.mchid,
    goods_name: "全场通用",
    stock_type: "NORMAL",
    coupon_use_rule: {
      coupon_available_time: { available_begin_time: at(-1), available_end_time: at(30) },
      fixed_normal_coupon: { discount_amount: 100, transaction_minimum: 0 },
      use_method: "OFF_LINE",
    },
    stock_send_rule: { max_coupons: maxCoupons, max_coupons_per_user: perUser },
    out_request_no: `load-stock-${maxCoupons}-${Date.now()}`,
    coupon_code_mode: "WECHATPAY_MODE",
  });
  // Setup (not timed): coupons to use, and a second stock whose budget the sends race for.
  const useCount = Math.round(signed * 0.5);
  const useStock = (
    await client.POST("/v3/marketing/busifavor/stocks", { body: stockBody(useCount, 1) })
  ).data.stock_id;
  const budget = Math.floor(sends * 0.8);
  const sendStock = (
    await client.POST("/v3/marketing/busifavor/stocks", { body: stockBody(budget, 1) })
  ).data.stock_id;
  const coupons = [];
  for (let i = 0; i < useCount; i++) {
    coupons.push((await sandbox.issueCoupon(`oLoadUser${i}`, { stock_id: useStock })).coupon_code);
  }

  const rand = random(20240520);
  const tasks = [];
  const useBody = (i, number) => ({
    coupon_code: coupons[i],
    stock_id: useStock,
    appid: APPID,
    use_time: at(0),
    use_request_no: number,
    openid: `oLoadUser${i}`,
  });
  for (let i = 0; i < useCount; i++)
    tasks.push({ kind: "use", coupon: i, body: useBody(i, `use-${i}`) });
  const repeats = Math.round(signed * 0.3);
  for (let r = 0; r < repeats; r++) {
    const i = Math.floor(rand() * useCount);
    tasks.push({ kind: "repeat", coupon: i, body: useBody(i, `use-${i}`) });
  }
  const conflicts = Math.round(signed * 0.1);
  for (let r = 0; r < conflicts; r++) {
    const i = Math.floor(rand() * useCount);
    tasks.push({ kind: "second-use", coupon: i, body: useBody(i, `use-${i}-again-${r}`) });
  }
  while (tasks.length < signed) tasks.push({ kind: "read", user: Math.floor(rand() * useCount) });
  for (let s = 0; s < sends; s++) tasks.push({ kind: "send", user: `oSendUser${s}` });
  for (let i = tasks.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [tasks[i], tasks[j]] = [tasks[j], tasks[i]];
  }

  const results = new Array(tasks.length);
  const run = async (task) => {
    const started = performance.now();
    try {
      if (task.kind === "send") {
        const response = await fetch(`${sandbox.url}/sandbox/users/${task.user}/coupons`, {
          method: "POST",
          headers: sandbox.controlHeaders,
          body: JSON.stringify({ stock_id: sendStock }),
        });
        return {
          status: response.status,
          body: await response.json(),
          ms: performance.now() - started,
        };
      }
      const result =
        task.kind === "read"
          ? await client.GET("/v3/marketing/busifavor/users/{openid}/coupons", {
              params: {
                path: { openid: `oLoadUser${task.user}` },
                query: { appid: APPID, limit: 10 },
              },
            })
          : await client.POST("/v3/marketing/busifavor/coupons/use", { body: task.body });
      return {
        status: result.response.status,
        body: result.data ?? result.error,
        ms: performance.now() - started,
      };
    } catch (error) {
      return { status: 0, error: String(error), ms: performance.now() - started };
    }
  };
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await run(tasks[index]);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;

  // What the run proves, whatever order the requests arrived in.
  const answered = results.filter((r) => r && r.status > 0).length;
  const lost = results.filter((r) => !r || r.status === 0);
  const serverErrors = results.filter((r) => r && r.status >= 500).length;
  const successfulUses = new Map();
  const firstAnswer = new Map();
  const repeatMismatches = [];
  tasks.forEach((task, index) => {
    const result = results[index];
    if (task.kind === "use" || task.kind === "repeat" || task.kind === "second-use") {
      if (result.status === 200) {
        const numbers = successfulUses.get(task.coupon) ?? new Set();
        numbers.add(task.body.use_request_no);
        successfulUses.set(task.coupon, numbers);
        const key = task.body.use_request_no;
        const text = JSON.stringify(result.body);
        if (!firstAnswer.has(key)) firstAnswer.set(key, text);
        else if (firstAnswer.get(key) !== text) repeatMismatches.push(key);
      } else if (result.body?.code !== "INVALID_REQUEST") {
        // A use may only be refused because another use_request_no got the coupon first.
        repeatMismatches.push(`${task.body.use_request_no}:${result.status}`);
      }
    }
  });
  const couponsUsedTwice = [...successfulUses.values()].filter(
    (numbers) => numbers.size > 1,
  ).length;
  const inspected = sandbox.inspect();
  const appliedTwice = Object.entries(inspected.requestNumbers)
    .filter(([, n]) => n > 1)
    .map(([k]) => k);
  const sendResults = tasks.map((t, i) => [t, results[i]]).filter(([t]) => t.kind === "send");
  const sent = sendResults.filter(([, r]) => r.status === 200).length;
  const stock = sandbox.store.stocks.get(sendStock);
  const latencies = results
    .filter((r) => r && r.status > 0)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  return {
    requests: tasks.length,
    signedRequests: tasks.filter((t) => t.kind !== "send").length,
    sends,
    answered,
    lost: lost.length,
    serverErrors,
    couponsUsed: successfulUses.size,
    couponsUsedTwice,
    couponsUsedMoreThanOnce: inspected.couponsUsedMoreThanOnce.length,
    requestNumbersAppliedTwice: appliedTwice.length,
    repeatMismatches: repeatMismatches.length,
    sent,
    sendBudget: budget,
    stockIssued: stock?.issued ?? -1,
    seconds,
    requestsPerSecond: tasks.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    concurrency,
  };
}
