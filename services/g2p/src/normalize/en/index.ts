/**
 * English (en-us, en-gb): the ordered rule table. A token goes to the first
 * rule that reads it, so the order is the meaning: web addresses before
 * anything with dots, money before plain numbers, clock times before ratios,
 * dates before fractions, figures before words, and last the rule that says
 * anything part by part.
 */
import type { LanguageNormalizer, Rule } from "../rule";
import { decades, isoDate, numericDate, shortDecades } from "./dates";
import { longRun, mixed } from "./mixed";
import { money, moneyAfter, moneyPer } from "./money";
import {
  dimensions,
  fractionRule,
  negative,
  ordinalCompound,
  ordinalRule,
  percent,
  phone,
  plainNumber,
  range,
  rating,
  ratio,
  scaled,
  twentyFourSeven,
  version,
} from "./numbers";
import { clockTime, hourAmPm } from "./time";
import { attachedUnit, degrees, feetInches, hyphenedUnit, letteredNumber } from "./units";
import { email, handle, hashtag, url } from "./web";
import { abbreviation, englishWordPeriod, initialism, initialismPossessive, word } from "./words";

export const ENGLISH_RULES: readonly Rule[] = [
  // 1. tokens too long to be one word
  longRun,
  // 2. addresses: "john@example.com", "example.com/a", "#tag", "@handle"
  email,
  url,
  hashtag,
  handle,
  // 3. money and measures written as one token: "$5.30", "$5/mo", "4.5/5", "5'11\"", "16:9", "5€", "50%", "20°C"
  money,
  moneyPer,
  rating,
  feetInches,
  ratio,
  moneyAfter,
  percent,
  degrees,
  // 4. times and dates: "3:45", "5pm", "2025-12-05", "12/05/2025"
  clockTime,
  hourAmPm,
  isoDate,
  numericDate,
  // 5. other figures: "24/7", "3/4", "5th", "1990s", "'90s", "1st-place"
  twentyFourSeven,
  fractionRule,
  ordinalRule,
  decades,
  shortDecades,
  ordinalCompound,
  initialismPossessive,
  // 6. digit strings with structure: "555-1234", "v1.2.3", "1920x1080", "40-60", "10k", "66A", "3kg", "10-km", "-5", "42"
  phone,
  version,
  dimensions,
  range,
  scaled,
  letteredNumber,
  attachedUnit,
  hyphenedUnit,
  negative,
  plainNumber,
  // 7. words: "Dr.", "U.S.", "NASA", "Henry VIII", "hello"
  abbreviation,
  initialism,
  word,
  // 8. anything else, part by part: "COVID-19's", "mp3", "and/or"
  mixed,
];

export const english: LanguageNormalizer = {
  rules: ENGLISH_RULES,
  wordPeriod: englishWordPeriod,
  leadingApostrophe: /^['’](\d{2}s|n['’]$|em$|til$|cause$|bout$|tis$|twas$)/i,
  keepsTrailingApostrophe: (w) => /in$/i.test(w) || /^['’]n$/.test(w),
};
