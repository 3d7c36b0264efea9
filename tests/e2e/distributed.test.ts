/** All four services as their own processes on Bun, on the real NATS and Postgres of this machine. */
import { ALL_ON_BUN, distributedSuite } from "./distributed.suite";

await distributedSuite("distributed: 4 processes on Bun, NATS, Postgres", ALL_ON_BUN);
