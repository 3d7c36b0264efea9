/**
 * The scheduler reads two clocks, and mixing them up is a silent bug (the two differ by decades):
 * - epoch milliseconds (Date.now()): deadlines, which travel between processes in requests;
 * - monotonic milliseconds (performance.now()): how long something took in this process.
 * Each value and parameter names its clock (`epochNow`, `monoAt`) and is typed with one of these.
 */
/** Milliseconds since the Unix epoch (Date.now()). */
export type EpochMs = number;
/** Milliseconds on this process's monotonic clock (performance.now()). */
export type MonoMs = number;
