// Moving a coding's boundary by keyboard: one grapheme (or word) at a time, across the
// gap between units when it reaches a unit's edge.
import { blockToDocument, documentToBlock, stepGrapheme, stepWord } from "../lib/offsets";
import { type TranscriptBlock, blockAt } from "../lib/transcript";

export function stepOffset(
  blocks: readonly TranscriptBlock[],
  offset: number,
  direction: 1 | -1,
  byWord: boolean,
): number {
  const b = blockAt(blocks, offset);
  if (!b) return blocks[0]?.start ?? offset;
  if (offset >= b.end && direction > 0) {
    const next = blocks[b.index + 1];
    return next ? next.start : b.end;
  }
  if (offset <= b.start && direction < 0) {
    const previous = blocks[b.index - 1];
    return previous ? previous.end : b.start;
  }
  const u = documentToBlock(b, offset);
  const step = byWord ? stepWord : stepGrapheme;
  return blockToDocument(b, step(b.text, u, direction));
}

/** How many words a span covers, for announcements ("Applied 'Relief' to 6 words"). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
