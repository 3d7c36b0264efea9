/** Ways of saying numbers that many English rules share. */
import type { Context } from "../context";
import { cardinal, decimal, digitByDigit } from "./number-words";

/** A written number as said: "3,497", "3.14", "007" (digit by digit with a leading zero). */
export function num(ctx: Context, s: string): string[] {
  const clean = s.replace(/,/g, "");
  const dot = clean.indexOf(".");
  const and = ctx.opts.dialect === "gb";
  if (dot >= 0) return decimal(clean.slice(0, dot), clean.slice(dot + 1), and);
  if (clean.length > 1 && clean.startsWith("0")) return digitByDigit(clean);
  return cardinal(clean, and);
}

/** A leading sign: "-" minus, "+" plus. */
export function sign(s: string | undefined): string[] {
  return s === "-" || s === "−" ? ["minus"] : s === "+" ? ["plus"] : [];
}
