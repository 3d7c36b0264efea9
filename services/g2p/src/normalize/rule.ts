/**
 * What a language gives the shared reader: an ordered table of rules, and the
 * few decisions about marks that differ between languages. A token is offered
 * to the rules in order; the first rule that says it wins, so the order is
 * part of the meaning (money before plain numbers, times before ratios).
 */
import type { Context } from "./context";

/** A run of text with its leading and trailing marks taken off. */
export interface Token {
  text: string;
  start: number;
  end: number;
  /** No mark follows it and the sentence goes on: rules may read the next run. */
  canLook: boolean;
  /** Has an ASCII digit: only then are rules for figures tried (most tokens are words). */
  hasDigit: boolean;
}

/**
 * What a rule's body gives back: the words for the whole token, `true` when it
 * said the token itself (through the context), or nothing when the token is
 * not its kind.
 */
export type Saying = string[] | boolean | undefined | void;

export interface Rule {
  readonly name: string;
  /** The rule only reads tokens with a digit (0-9); others skip it. */
  readonly figures?: boolean;
  /** Says the token and returns true, or returns false and leaves it to the next rule. */
  apply(tok: Token, ctx: Context): boolean;
}

export function rule(name: string, body: (tok: Token, ctx: Context) => Saying, figures = false): Rule {
  return {
    name,
    figures,
    apply(tok, ctx) {
      const said = body(tok, ctx);
      if (Array.isArray(said)) {
        ctx.word(tok.start, tok.end, said);
        return true;
      }
      return said === true;
    },
  };
}

/** A rule for tokens that match `re` as a whole. */
export function matchRule(
  name: string,
  re: RegExp,
  body: (m: RegExpExecArray, tok: Token, ctx: Context) => Saying,
): Rule {
  return rule(name, (tok, ctx) => {
    const m = re.exec(tok.text);
    return m ? body(m, tok, ctx) : false;
  });
}

/** A rule for figures: `re` needs a digit (0-9), so tokens without one skip it. */
export function figureRule(
  name: string,
  re: RegExp,
  body: (m: RegExpExecArray, tok: Token, ctx: Context) => Saying,
): Rule {
  return { ...matchRule(name, re, body), figures: true };
}

/** Does a period end the sentence as well as the abbreviation before it? */
export interface WordPeriod {
  endsSentence: boolean;
}

export interface LanguageNormalizer {
  /** Tried in order on every token; the last rule should say anything (letters, digits and symbols one by one). */
  readonly rules: readonly Rule[];
  /**
   * The period after `word` ("Dr", "U.S", "J"): part of the word (an
   * abbreviation or an initial), and then whether it also ends the sentence;
   * undefined when it is only punctuation. `laterEnd`: another mark after the
   * period ends the sentence anyway ("etc.)." is not read twice).
   */
  wordPeriod(word: string, ctx: Context, laterEnd: boolean): WordPeriod | undefined;
  /** A leading apostrophe that belongs to the word, tested on the run from the apostrophe on ("'90s", "'em"). */
  readonly leadingApostrophe: RegExp;
  /** Does a trailing apostrophe belong to this word ("goin'")? Otherwise it is a closing quote. */
  keepsTrailingApostrophe(word: string): boolean;
  /** Loads what the rules need on first use (Japanese's dictionary); awaited before a text is read. */
  readonly prepare?: () => Promise<void>;
}
