/** Addresses people read out: e-mail, URLs, hashtags, handles ("john dot smith at example dot com"). */
import type { Context } from "../context";
import { matchRule, rule } from "../rule";
import { codeNumber } from "./codes";
import { cardinal, digitByDigit } from "./number-words";
import { spell, splitName } from "./letters";

const RE_URL =
  /^(?:(?:https?|ftp):\/\/|www\.)[^\s]+$|^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|ai|dev|co|uk|us|de|fr|app|info|me|tv|ly|gg|xyz)(?:\/[^\s]*)?$/i;
const RE_EMAIL = /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/;
const RE_HASHTAG = /^#([\p{L}\p{N}_]+)$/u;
const RE_HANDLE = /^@([\w_]+)$/;

/** Is the token an e-mail or web address (said whole, even when long)? */
export function isAddress(c: string): boolean {
  return RE_URL.test(c) || RE_EMAIL.test(c);
}

export const email = rule("email", (tok, ctx) => {
  if (!RE_EMAIL.test(tok.text)) return;
  const [local, domain] = tok.text.split("@");
  return [...spokenAddress(ctx, local!), "at", ...spokenAddress(ctx, domain!)];
});

export const url = rule("url", (tok, ctx) => {
  const c = tok.text;
  if (RE_URL.test(c) && /[./]/.test(c) && !/^\d/.test(c))
    return spokenAddress(ctx, c.replace(/^(https?|ftp):\/\//i, ""));
});

/** "#tag", "#1", "#45821" (number four five eight two one: a number after "#" names something). */
export const hashtag = matchRule("hashtag", RE_HASHTAG, (m, _tok, ctx) =>
  /^\d+$/.test(m[1]!) ? ["number", ...codeNumber(m[1]!, false)] : ["hashtag", ...splitName(ctx, m[1]!)],
);

export const handle = matchRule("handle", RE_HANDLE, (m, _tok, ctx) => ["at", ...splitName(ctx, m[1]!)]);

const ADDRESS_SYMBOLS: Record<string, string[]> = {
  ".": ["dot"],
  "/": ["slash"],
  ":": ["colon"],
  "-": ["dash"],
  _: ["underscore"],
  "?": ["question", "mark"],
  "=": ["equals"],
  "&": ["and"],
  "#": ["hash"],
  "+": ["plus"],
  "~": ["tilde"],
  "%": ["percent"],
  "@": ["at"],
};

function spokenAddress(ctx: Context, s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/(\p{L}+)|(\d+)|([\s\S])/gu)) {
    if (m[1]) {
      const p = m[1];
      if (p.toLowerCase() === "www") out.push("W", "W", "W");
      else if (/^(com|org|net|io|ai|co|uk|us|de|fr|gov|edu)$/i.test(p) && out[out.length - 1] === "dot")
        out.push(...(/^(com|org|net|gov|edu|app)$/i.test(p) ? [p.toLowerCase()] : spell(p)));
      else if ((p.length <= 3 && !ctx.opts.known(p.toLowerCase())) || !/[aeiouy]/i.test(p))
        out.push(...spell(p));
      else out.push(...splitName(ctx, p));
    } else if (m[2]) out.push(...(m[2].length > 4 ? digitByDigit(m[2]) : cardinal(m[2])));
    else if (ADDRESS_SYMBOLS[m[3]!]) out.push(...ADDRESS_SYMBOLS[m[3]!]!);
  }
  // a trailing slash is not said
  if (out[out.length - 1] === "slash") out.pop();
  return out;
}
