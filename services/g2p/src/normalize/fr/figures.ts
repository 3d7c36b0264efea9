/**
 * How French writes a number: thousands grouped by a space, a no-break space,
 * a narrow no-break space or a dot ("1 000", "1.000.000"), a decimal comma
 * ("3,5"; a lone decimal point is read too: "3.5"). scan.ts cuts runs at every
 * space, so "1 000 000" reaches the rules as three runs: `readNumber` joins
 * the runs after the first that are exactly three digits, and says each
 * group's words on its own run (un million / [] / []).
 */
import type { Context, NextRun } from "../context";
import type { Token } from "../rule";
import { cardinal, feminine, fractionDigits, groupWords, MAX_CARDINAL_DIGITS } from "./number-words";

/** A number inside one token: sign, integer (dot-grouped or plain digits), decimal part. */
export const NUM = String.raw`\d{1,3}(?:\.\d{3})+(?![\d])|\d+`;
export const RE_NUMBER = new RegExp(`^([-−+])?(${NUM})(?:[,.](\\d+))?$`);
/** The character between two digit groups of one number. */
const GROUP_SPACE = /^[ \u00A0\u202F]$/;
/** The most groups joined across runs (a number up to 10^18). */
const MAX_GROUPS = 6;

export interface NumberPiece {
  start: number;
  end: number;
  /** Digits of this piece (the whole integer when it is the only piece). */
  digits: string;
  /** The run after the current token, for pieces read from later runs. */
  run?: NextRun;
}

export interface ReadNumber {
  sign: string;
  /** The whole integer part's digits, without separators. */
  int: string;
  frac?: string;
  pieces: NumberPiece[];
  /** No mark after the last piece and the sentence goes on: a unit may follow. */
  canLook: boolean;
}

/** Reads a number starting at `tok`, joining space-separated groups ("1 000 000"); nothing is consumed yet. */
export function readNumber(tok: Token, ctx: Context): ReadNumber | undefined {
  const m = RE_NUMBER.exec(tok.text);
  if (!m) return undefined;
  const sign = m[1] ?? "";
  const first = m[2]!.replace(/\./g, "");
  let frac = m[3];
  // "3.500" is three thousand five hundred (a dot groups thousands), "3.5" is a decimal
  const pieces: NumberPiece[] = [{ start: tok.start, end: tok.end, digits: first }];
  let canLook = tok.canLook;
  if (frac === undefined && /^\d{1,3}$/.test(m[2]!) && tok.canLook) {
    let prevEnd = tok.end;
    for (let k = 0; k < MAX_GROUPS - 1; k++) {
      const next = ctx.next(k);
      if (!next || !GROUP_SPACE.test(ctx.text.slice(prevEnd, next.start))) break;
      const g = /^(\d{3})(?:,(\d+))?$/.exec(next.core);
      if (!g) break;
      pieces.push({ start: next.start, end: next.start + next.core.length, digits: g[1]!, run: next });
      prevEnd = next.end;
      canLook = next.trailing === "";
      if (g[2] !== undefined) frac = g[2];
      if (g[2] !== undefined || next.trailing) break;
    }
  }
  return { sign, int: pieces.map((p) => p.digits).join(""), frac, pieces, canLook };
}

/**
 * The integer's words split by piece: one piece gets all of them; joined
 * groups get their own group's words. `fem`: a final "un" is "une".
 */
export function integerWords(n: ReadNumber, fem = false): string[][] {
  const int = n.int.replace(/^0+(?=\d)/, "");
  let out: string[][];
  if (n.pieces.length === 1 || int.length > MAX_CARDINAL_DIGITS || /^0+$/.test(int)) {
    out = [cardinal(int), ...n.pieces.slice(1).map(() => [])];
  } else {
    const k0 = n.pieces.length - 1;
    out = n.pieces.map((p, idx) => groupWords(Number(p.digits), k0 - idx));
    // "1 000": mille; a leading group of zeros ("0 500") says nothing
    if (out.every((w) => w.length === 0)) out[0] = ["zéro"];
  }
  if (fem) {
    const last = out.findLastIndex((w) => w.length > 0);
    if (last >= 0) out[last] = feminine(out[last]!);
  }
  return out;
}

/** The words of the sign: moins, plus. */
export function signWords(sign: string): string[] {
  return sign === "-" || sign === "−" ? ["moins"] : sign === "+" ? ["plus"] : [];
}

/** The words of the whole number (sign, integer, decimal part), per piece. */
export function numberWords(n: ReadNumber, fem = false): string[][] {
  const words = integerWords(n, n.frac === undefined && fem);
  words[0] = [...signWords(n.sign), ...words[0]!];
  if (n.frac !== undefined) words[words.length - 1]!.push("virgule", ...fractionDigits(n.frac));
  return words;
}

/** Says the pieces: the first on the token, the later ones by taking their runs. */
export function sayPieces(ctx: Context, n: ReadNumber, words: string[][]): void {
  n.pieces.forEach((p, idx) => {
    if (idx === 0) ctx.word(p.start, p.end, words[0]!);
    else ctx.take(p.run!, words[idx]!);
  });
}

/** Is the number one (singular noun after it: un euro, une heure; 0 and 1,5 too in French)? */
export function singular(n: ReadNumber): boolean {
  return Number(n.int) < 2;
}
