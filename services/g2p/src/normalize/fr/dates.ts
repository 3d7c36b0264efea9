/**
 * Numeric dates, day first as in France: "5/12/2024", "05.12.2024",
 * "5/12/24" cinq décembre deux mille vingt-quatre; ISO "2024-12-05" the same;
 * day 1 is "premier". Years are cardinals (1998 mille neuf cent quatre-vingt-dix-huit).
 */
import { figureRule } from "../rule";
import { cardinal } from "./number-words";

export const MONTHS = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
];

const RE_NUM_DATE = /^(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})$/;
const RE_ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "premier décembre deux mille vingt-quatre"; undefined for an impossible date. */
export function dateWords(d: number, mo: number, y?: number): string[] | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const out = [...(d === 1 ? ["premier"] : cardinal(String(d))), MONTHS[mo - 1]!];
  if (y !== undefined) out.push(...cardinal(String(y)));
  return out;
}

export const numericDate = figureRule("numeric date", RE_NUM_DATE, (m) => {
  let y = Number(m[4]);
  if (m[4]!.length === 2) y += y < 50 ? 2000 : 1900;
  return dateWords(Number(m[1]), Number(m[3]), y);
});

export const isoDate = figureRule("ISO date", RE_ISO_DATE, (m) =>
  dateWords(Number(m[3]), Number(m[2]), Number(m[1])),
);
