// A TCP proxy on 127.0.0.1 in front of the sandbox that can lose answers: the request reaches the
// sandbox (which applies it), then the connection is closed as its answer starts to come back, the
// way a connection dies mid-flight. The sandbox's own faults answer (500, 429) or delay; this one
// is the failure a retry must survive without applying a business number twice.
import { type AddressInfo, connect, createServer, type Socket } from "node:net";

export interface DroppingProxy {
  url: string;
  /** Loses the next `count` answers (default 1). */
  dropNext(count?: number): void;
  /** Answers lost so far. */
  dropped: number;
  close(): Promise<void>;
}

export async function startDroppingProxy(target: string): Promise<DroppingProxy> {
  const { hostname, port } = new URL(target);
  let pending = 0;
  const sockets = new Set<Socket>();
  const proxy: DroppingProxy = {
    url: "",
    dropped: 0,
    dropNext(count = 1) {
      pending += count;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      if (pending > 0) {
        pending -= 1;
        proxy.dropped += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
