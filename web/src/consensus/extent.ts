// Moving a boundary of a custom extent by keyboard: a character, a word or ten
// characters at a time, never past the other boundary or the document's ends.
import type { CodePoints } from "./runs";

export type Step = "character" | "word" | "ten";

/** Where a boundary at `offset` goes, `delta` steps forward (1) or back (-1). */
export function nudge(text: CodePoints, offset: number, delta: 1 | -1, step: Step): number {
  if (step === "character") return clamp(offset + delta, text.length);
  if (step === "ten") return clamp(offset + 10 * delta, text.length);
  // A word: to the next start or end of a word, the way Ctrl+arrow moves a caret.
  if (delta > 0) {
    const rest = text.slice(offset, Math.min(text.length, offset + 200));
    const match = /^\s*\S+/u.exec(rest);
    return clamp(offset + (match ? [...match[0]].length : [...rest].length), text.length);
  }
  const before = text.slice(Math.max(0, offset - 200), offset);
  const match = /\S+\s*$/u.exec(before);
  return clamp(offset - (match ? [...match[0]].length : [...before].length), text.length);
}

function clamp(offset: number, length: number): number {
  return Math.max(0, Math.min(length, offset));
}

/** A boundary moved to `to`, kept on its side of the other one: a start stays before the
 * end, an end after the start (an extent is never empty). */
export function moveBoundary(
  extent: { start: number; end: number },
  which: "start" | "end",
  to: number,
): { start: number; end: number } {
  return which === "start"
    ? { start: Math.min(to, extent.end - 1), end: extent.end }
    : { start: extent.start, end: Math.max(to, extent.start + 1) };
}
