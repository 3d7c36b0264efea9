/** Pieces of patterns several English rules share. */

/** A written number: "3,497", "3.14", ".5", "12". */
export const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+`;

/** Letters and combining marks, for character classes. */
export const LETTERS = "\\p{L}\\p{M}";
