/**
 * Normalised items grouped into units: one spoken word item with the
 * punctuation and silent characters around it. Every character of the input
 * that is not a space (or markup) lands in exactly one unit's span.
 */
import type { Item, WordItem } from "./normalize";

export interface Unit {
  item: WordItem;
  start: number;
  end: number;
  /** Vocab punctuation said before / after the words ("“", "(" / ",", "!”"). */
  lead: string;
  trail: string;
  /** Break strength after this unit: 0..3, 4 when a pause or paragraph follows. */
  brk: number;
  /** Explicit silence after this unit (pause tags, paragraphs), seconds. */
  pause: number;
  /** Strongest punctuation break after it, even when a pause follows. */
  punctBrk: number;
}

/**
 * `carryStart`: start of marks left over from the previous block (which had no
 * word to attach them to); they go with this block's first word. Returns the
 * units and, when this block has no word at all, where its marks start.
 */
export function toUnits(items: readonly Item[], carryStart = -1): { units: Unit[]; carryStart: number } {
  const units: Unit[] = [];
  let pendingStart = carryStart;
  let pendingLead = "";
  let afterPause = false;
  for (const it of items) {
    const last = units[units.length - 1];
    if (it.kind === "word") {
      const start = pendingStart >= 0 ? Math.min(pendingStart, it.start) : it.start;
      units.push({
        item: it,
        start,
        end: it.end,
        lead: pendingLead,
        trail: "",
        brk: 0,
        pause: 0,
        punctBrk: 0,
      });
      pendingStart = -1;
      pendingLead = "";
      afterPause = false;
    } else if (it.kind === "pause") {
      if (last) {
        last.pause += it.seconds;
        last.brk = 4;
        afterPause = true;
      }
    } else if (it.kind === "punct" && it.opening) {
      if (pendingStart < 0) pendingStart = it.start;
      pendingLead += it.ph;
    } else if (last && !afterPause && pendingStart < 0 && (it.kind === "silent" || it.kind === "punct")) {
      last.end = Math.max(last.end, it.end);
      if (it.kind === "punct") {
        last.trail += it.ph;
        last.punctBrk = Math.max(last.punctBrk, it.brk);
        if (last.brk < 4) last.brk = Math.max(last.brk, it.brk);
      }
    } else {
      // before the first word, or after an opening mark: goes with the next word
      if (pendingStart < 0) pendingStart = it.start;
      if (it.kind === "punct" && it.ph && it.brk === 0) pendingLead += it.ph;
    }
  }
  // marks after the last word with nothing to follow
  if (pendingStart >= 0) {
    const last = units[units.length - 1];
    if (last) {
      for (const i of items)
        if (i.start >= pendingStart && i.kind !== "pause") last.end = Math.max(last.end, i.end);
      if (pendingLead) last.trail += pendingLead;
      pendingStart = -1;
    }
  }
  return { units, carryStart: pendingStart };
}
