/**
 * The last line behind the rule that every fire-and-forget promise has a
 * catch. A rejection nobody handled ends a Bun or Node process, and with it
 * every other client's stream: one client who hung up at the wrong moment took
 * the gateway down that way (issue 20, finding 1). Here such a rejection is
 * logged at error level, as the bug it is, and the process carries on. This
 * is not where such bugs are fixed: the log line says where to look.
 */
import type { Logger } from "./log";

let installed: ((reason: unknown) => void) | undefined;

/** Log unhandled rejections instead of exiting; once per process (later calls are no-ops). */
export function logUnhandledRejections(log: Logger): void {
  if (installed) return;
  installed = (reason) =>
    log.error("unhandled promise rejection (a bug: a promise nobody caught); carrying on", {
      err: reason,
      stack: reason instanceof Error ? reason.stack : undefined,
    });
  process.on("unhandledRejection", installed);
}
