// A local answering server for the bench, in its own process (its own core): answers every
// request with a signed JSON body, as WeChat Pay does. Prints its port on stdout.
import { createPrivateKey, randomBytes, sign } from "node:crypto";
import { createServer } from "node:http";

const key = createPrivateKey(process.env.BENCH_PLATFORM_KEY);
const serial = process.env.BENCH_PLATFORM_SERIAL;
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const body = JSON.stringify({ stock_id: "123", authorized: !!req.headers.authorization });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString("hex");
    sign("sha256", Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), key, (error, signature) => {
      if (error) throw error;
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Wechatpay-Timestamp": timestamp,
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": signature.toString("base64"),
        "Wechatpay-Serial": serial,
      });
      res.end(body);
    });
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
