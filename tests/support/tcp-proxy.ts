/**
 * A TCP proxy a test can cut: `pause()` is a network partition (bytes stop
 * flowing both ways, connections stay open, new ones hang), `resume()` heals
 * it and delivers what was held, in order, as TCP would after a partition.
 * For outages of services a test cannot stop (the shared Postgres).
 */
import { createConnection, createServer, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** Called for each new connection; the function it returns sees every chunk the client sends, in order. */
  tapClient?: () => (chunk: Buffer) => void;
}

export async function startTcpProxy(
  targetHost: string,
  targetPort: number,
  opts: TcpProxyOptions = {},
): Promise<TcpProxy> {
  let paused = false;
  const pairs = new Set<[Socket, Socket]>();
  const held: [Socket, Buffer][] = [];
  const send = (to: Socket, b: Buffer) => (paused ? held.push([to, b]) : to.write(b));
  const server = createServer((client) => {
    const upstream = createConnection({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    const tap = opts.tapClient?.();
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.on("data", (b) => {
      tap?.(b as Buffer);
      send(upstream, b as Buffer);
    });
    upstream.on("data", (b) => send(client, b as Buffer));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    pause: () => void (paused = true),
    resume: () => {
      paused = false;
      for (const [to, b] of held.splice(0)) if (!to.destroyed) to.write(b);
    },
    close: () =>
      new Promise<void>((r) => {
        for (const [a, b] of pairs) (a.destroy(), b.destroy());
        server.close(() => r());
      }),
  };
}
