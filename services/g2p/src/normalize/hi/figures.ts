/**
 * How Hindi text writes a number: ASCII or Devanagari digits (converted one
 * for one before the rules read them, so spans stay), Indian grouping
 * "1,00,000" or western "100,000", a decimal point "3.5".
 */
import { cardinal, decimal } from "./number-words";

export const NUM = String.raw`\d{1,3}(?:,\d{2})*,\d{3}|\d{1,3}(?:,\d{3})+|\d+`;
export const RE_NUMBER = new RegExp(`^([-−+])?(${NUM})(?:\\.(\\d+))?$`);

/** The words of a written number ("1,00,000" एक लाख, "3.5", "-4"); undefined when it is not one. */
export function numberWords(text: string): string[] | undefined {
  const m = RE_NUMBER.exec(text);
  if (!m) return undefined;
  const int = m[2]!.replace(/,/g, "");
  const sign = m[1] === "-" || m[1] === "−" ? ["माइनस"] : m[1] === "+" ? ["प्लस"] : [];
  return [...sign, ...(m[3] === undefined ? cardinal(int) : decimal(int, m[3]))];
}

/** The integer value of a written number without sign or decimals (for one / many). */
export function intValue(text: string): number {
  return Number((RE_NUMBER.exec(text)?.[2] ?? "0").replace(/,/g, ""));
}
