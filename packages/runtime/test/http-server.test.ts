import { describe, expect, test } from "bun:test";
import { StartupError, listen } from "../src/http-server";

describe("listening on a port", () => {
  test("a port in use is one line that names the variable to change", async () => {
    const first = listen({
      port: 0,
      hostname: "127.0.0.1",
      portVariable: "PORT",
      fetch: () => new Response("first"),
    });
    try {
      let err: unknown;
      try {
        listen({
          port: first.port,
          hostname: "127.0.0.1",
          portVariable: "MIRROR_PORT",
          fetch: () => new Response("second"),
        });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StartupError);
      expect((err as Error).message).toBe(
        `port ${first.port} is already in use: set MIRROR_PORT to a free port (for example MIRROR_PORT=${first.port + 10})`,
      );
      expect(await (await fetch(`http://127.0.0.1:${first.port}/`)).text()).toBe("first");
    } finally {
      await first.stop(true);
    }
  });
});
