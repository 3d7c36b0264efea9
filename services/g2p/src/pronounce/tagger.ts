/**
 * A small rule-based part-of-speech guesser for heteronyms (read, lead, live,
 * record, use, wind, tear, close, object, present, minute...). It only answers
 * for the word it is asked about, from the words around it; the lexicon's
 * entry then picks the pronunciation for that tag (misaki's keys: DEFAULT,
 * NOUN, VERB, ADJ, VBD, VBN, VBP, ADV).
 */
/** `NOUN_METAL`: "lead" the metal, which the lexicons lack. */
export type Tag = "NOUN" | "VERB" | "VBD" | "VBN" | "VBP" | "ADJ" | "ADV" | "DT" | "NOUN_METAL" | undefined;

const DETERMINERS = new Set(
  "the a an this that these those my your his her its our their no every each some any another either neither much more most few several many one whose which what".split(
    " ",
  ),
);
const PREPOSITIONS = new Set(
  "of in on at for with from by about into onto over under through during against among between without within upon across behind beyond toward towards near off".split(
    " ",
  ),
);
const MODALS = new Set(
  "will would can could should shall may might must to don't doesn't didn't won't wouldn't can't cannot couldn't shouldn't let's please let i'll you'll he'll she'll we'll they'll it'll that'll who'll".split(
    " ",
  ),
);
const PERFECT = new Set("have has had having 've 'd".split(" "));
const BE = new Set(
  "is are was were be been being am 's 're 'm get got gets getting become became".split(" "),
);
const PLURAL_SUBJECTS = new Set("i you we they".split(" "));
const SINGULAR_SUBJECTS = new Set("he she it who".split(" "));
const THIRD_PERSON = new Set(
  "he she it who that which one everyone everybody someone somebody nobody anyone".split(" "),
);
export const LEAD_METAL = new Set(
  "pipe pipes paint poisoning pencil pencils weight weights shot ore mine mines acid based free levels level content exposure grey gray colored coloured lined glass crystal".split(
    " ",
  ),
);
const PAST_VERBS = new Set(
  "was were had did said went saw came took made got gave told felt thought knew found left stood sat ran began became brought kept held heard showed seemed looked asked wrote spoke drove fell rose grew".split(
    " ",
  ),
);
const NOT_PAST_ED = new Set(
  "need needed speed feed seed bed red shed bleed breed indeed hundred naked sacred wicked led bred fed fled sled shred wed weed greed reed deed".split(
    " ",
  ),
);
function isPastForm(w: string): boolean {
  return PAST_VERBS.has(w) || (/^[a-z]{2,}ed$/.test(w) && !NOT_PAST_ED.has(w));
}
const INTENSIFIERS = new Set("very so too quite rather extremely most more less".split(" "));
const PAST_MARKERS = new Set("yesterday ago last already earlier once previously".split(" "));
const ADVERBS_BEFORE_VERB = new Set(
  "also just never always often really then still even usually finally quickly".split(" "),
);

/** Words whose noun/verb reading the tagger decides. */
export const HETERONYM_HINTS = {
  /** verb particles: "wind up", "tear down", "close down" */
  particles: new Set("up down off out apart away open back in".split(" ")),
};

function prevContent(words: readonly string[], i: number): [string | undefined, number] {
  for (let j = i - 1; j >= 0; j--) {
    const w = words[j]!;
    if (!ADVERBS_BEFORE_VERB.has(w)) return [w, j];
  }
  return [undefined, -1];
}

/**
 * Tag of `words[i]` (lowercase words of one sentence). `keys`: the tags the
 * lexicon distinguishes for this word, to keep the guess relevant.
 * `spoken[k]`: word k is not in the text as written but said for something
 * else there (a symbol: "divided" for "÷", "registered" for "®"; a number or
 * an abbreviation): it tells nothing of the sentence's tense.
 */
export function guessTag(
  words: readonly string[],
  i: number,
  keys: readonly string[],
  capitalized: readonly boolean[] = [],
  breakAfter: readonly boolean[] = [],
  spoken: readonly boolean[] = [],
): Tag {
  const w = words[i]!;
  const [prev, pj] = prevContent(words, i);
  const prev2 = pj > 0 ? words[pj - 1] : undefined;
  const next = words[i + 1];
  const has = (k: string) => keys.includes(k);

  // lead the metal: "lead pipe", "made of lead", "lead poisoning"
  if (w === "lead" && ((next && LEAD_METAL.has(next)) || prev === "of" || prev === "with"))
    return "NOUN_METAL";
  // "the road wound through", "I wound the clock": past of wind
  if (
    w === "wound" &&
    next &&
    (HETERONYM_HINTS.particles.has(next) ||
      PREPOSITIONS.has(next) ||
      DETERMINERS.has(next) ||
      ["its", "their", "his", "her", "it", "them"].includes(next)) &&
    !(prev && DETERMINERS.has(prev))
  )
    return "VBD";
  // "used to" (habit) vs "used" (employed)
  if (w === "used") return next === "to" && !(prev && BE.has(prev)) ? "VBD" : undefined;

  if (has("VBD") || has("VBN")) {
    // read, wound: past forms
    if (prev && PERFECT.has(prev)) return "VBN";
    if (prev && BE.has(prev)) return "VBN";
    if (prev && MODALS.has(prev)) return "VERB";
    if (prev && SINGULAR_SUBJECTS.has(prev)) return "VBD";
    if (prev && PLURAL_SUBJECTS.has(prev) && w !== "read") return "VBD";
    if (words.some((x) => PAST_MARKERS.has(x))) return "VBD";
    if (
      prev &&
      (PLURAL_SUBJECTS.has(prev) || /^[a-z]+$/.test(prev)) &&
      next &&
      DETERMINERS.has(next) &&
      words.slice(0, i).some((x) => x === "was" || x === "were" || x === "had" || x === "did")
    )
      return "VBD";
    if (has("ADJ") && prev && (prev === "well" || prev === "widely" || prev === "badly")) return "ADJ";
    // a story told in the past: "The gauge read 37% and she turned back."
    if (
      prev &&
      !MODALS.has(prev) &&
      prev !== "do" &&
      prev !== "does" &&
      !DETERMINERS.has(prev) &&
      words.some((x, k) => k !== i && !spoken[k] && isPastForm(x))
    )
      return "VBD";
    return undefined;
  }
  // "it's close", "is present", "was content": adjectives after a copula
  if (
    prev &&
    (BE.has(prev) || /^(it|that|he|she|what|there|here|who|this)'s$/.test(prev)) &&
    !(has("VBN") || has("VBD"))
  )
    return undefined;
  const verbish =
    !!prev &&
    (MODALS.has(prev) ||
      PLURAL_SUBJECTS.has(prev) ||
      SINGULAR_SUBJECTS.has(prev) ||
      (prev === "and" && !!prev2 && MODALS.has(prev2)));
  const nounish =
    !!prev &&
    (DETERMINERS.has(prev) ||
      PREPOSITIONS.has(prev) ||
      (/'s$/.test(prev) && !/^(it|that|he|she|what|there|here|who|this|let)'s$/.test(prev)));
  // "a close friend": an adjective before a noun
  if (
    w === "close" &&
    nounish &&
    next &&
    !breakAfter[i] &&
    !PREPOSITIONS.has(next) &&
    !["and", "or", "to", "is", "was"].includes(next)
  )
    return undefined;
  if (has("VERB")) {
    if (verbish) return "VERB";
    if (nounish) return "NOUN";
    // imperative at sentence start: "Close the door", "Record it"
    if (
      i === 0 &&
      next &&
      (DETERMINERS.has(next) || ["it", "them", "me", "him", "her", "us", "yourself"].includes(next))
    )
      return "VERB";
    if (next && HETERONYM_HINTS.particles.has(next) && ["wind", "tear", "close", "wound", "bow"].includes(w))
      return "VERB";
    // third person: "Smith lives", "everyone records", "that tears"
    if (/[a-z]s$/.test(w) && prev && ((pj > 0 && capitalized[pj]) || THIRD_PERSON.has(prev))) return "VERB";
    return undefined;
  }
  if (has("NOUN")) {
    if (nounish) return "NOUN";
    if (verbish) return "VERB";
    return undefined;
  }
  if (has("ADJ")) {
    // minute: "a minute" (noun) vs "very minute details" (adjective)
    if (prev && INTENSIFIERS.has(prev)) return "ADJ";
    return undefined;
  }
  return undefined;
}
