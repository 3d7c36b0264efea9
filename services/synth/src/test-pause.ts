/**
 * A test hook that makes this replica slow on purpose: `SYNTH_TEST_PAUSE=
 * <request-id prefix>:<chunk index>:<ms>` holds that chunk's inference for
 * `ms` in streams whose request id starts with the prefix (a GC pause, a
 * stalled core, as the gateway's hedging sees it). Honoured only when
 * NODE_ENV=test, so a stray variable in production does nothing.
 */
export interface TestPause {
  prefix: string;
  chunk: number;
  ms: number;
}

export function parseTestPause(
  value: string | undefined,
  nodeEnv: string | undefined,
): TestPause | undefined {
  if (!value || nodeEnv !== "test") return undefined;
  const m = /^(.*):(\d+):(\d+)$/.exec(value);
  if (!m)
    throw new Error(
      `SYNTH_TEST_PAUSE must be <request-id prefix>:<chunk>:<ms>, got ${JSON.stringify(value)}`,
    );
  return { prefix: m[1]!, chunk: Number(m[2]), ms: Number(m[3]) };
}

/** How long to hold chunk `chunk` of request `requestId` (0: not at all). */
export function pauseFor(pause: TestPause | undefined, requestId: string, chunk: number): number {
  return pause && chunk === pause.chunk && requestId.startsWith(pause.prefix) ? pause.ms : 0;
}
