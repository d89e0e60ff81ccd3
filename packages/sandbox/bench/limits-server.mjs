// The sandbox under attack, in a process of its own so its memory is measured alone: started by
// bench/limits.mjs, it reports its URL, then its peak RSS between "start" and "stop" messages.
import { startSandbox } from "../dist/index.js";

const sandbox = await startSandbox();
let peak = 0;
let sampler;
process.on("message", (message) => {
  if (message === "start") {
    peak = process.memoryUsage().rss;
    sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
  } else if (message === "stop") {
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    process.send({ peak, rss: process.memoryUsage().rss });
  } else if (message === "close") {
    sandbox.close().then(() => process.exit(0));
  }
});
process.send({ url: sandbox.url, rss: process.memoryUsage().rss });
