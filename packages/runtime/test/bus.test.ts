import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { context } from "@opentelemetry/api";
import { MemoryTransport, NatsTransport } from "../src/bus";
import { TEST_NATS_URL, haveNats } from "../src/testing/services";
import { busSuite } from "./bus.suite";

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

busSuite("in-process", async () => {
  const t = new MemoryTransport();
  return [t, t];
});

if (await haveNats()) {
  busSuite("NATS", async () => [await NatsTransport.connect(TEST_NATS_URL, "test-a"), await NatsTransport.connect(TEST_NATS_URL, "test-b")]);
}
