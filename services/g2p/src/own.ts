/**
 * A table lookup by a word from the input. Plain object tables inherit
 * Object.prototype, so "constructor" or "toString" would find a function
 * there; only the table's own entries count (issue 20: "constructor" as input
 * crashed g2p, found by the fuzz run).
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
