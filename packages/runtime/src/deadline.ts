/** `p`, or a rejection once `ms` have passed (the timer is cleared either way; `p` is still awaited by the race). */
export function withDeadline<T>(p: Promise<T>, ms: number, what = "no answer"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)),
  );
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
