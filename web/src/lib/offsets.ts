// Offsets: the browser counts UTF-16 code units, Accord counts Unicode code points.
// This module is the one place that converts between them. Every offset the UI sends to
// or reads from the API goes through it.
//
// A transcript is drawn as blocks (one per unit). Each block knows its code-point start in
// the document and a sparse map of where its characters outside the Basic Multilingual
// Plane sit (each takes two UTF-16 units but one code point), so converting a selection
// costs a binary search, not a walk over the text.

/** UTF-16 ↔ code-point map of one stretch of text. */
export interface OffsetMap {
  /** UTF-16 index of each surrogate pair's first unit, ascending. */
  readonly astral: readonly number[];
  /** Length in UTF-16 units. */
  readonly length16: number;
  /** Length in code points. */
  readonly length: number;
}

export function offsetMap(text: string): OffsetMap {
  const astral: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        astral.push(i);
        i++;
      }
    }
  }
  return { astral, length16: text.length, length: text.length - astral.length };
}

/** How many entries of the ascending `values` are below `limit`. */
function countBelow(values: readonly number[], limit: number, shift = false): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = (values[mid] as number) - (shift ? mid : 0);
    if (v < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The code-point offset of a UTF-16 offset. An offset inside a surrogate pair counts as
 * the pair's start. */
export function toCodePoint(map: OffsetMap, utf16: number): number {
  const i = Math.max(0, Math.min(utf16, map.length16));
  return i - countBelow(map.astral, i);
}

/** The UTF-16 offset of a code-point offset. */
export function toUtf16(map: OffsetMap, codePoint: number): number {
  const cp = Math.max(0, Math.min(codePoint, map.length));
  // Pair k sits at code point astral[k] - k, which rises with k.
  return cp + countBelow(map.astral, cp, true);
}

/** A piece of the document drawn as one block: a unit, or the gap between two. */
export interface Block {
  /** Code-point offset of the block's first character in the document. */
  readonly start: number;
  /** Code-point offset just past its last character. */
  readonly end: number;
  readonly text: string;
  readonly map: OffsetMap;
}

export function block(start: number, text: string): Block {
  const map = offsetMap(text);
  return { start, end: start + map.length, text, map };
}

/** A selection in a block (UTF-16 offsets into its text) as document code points. */
export function blockToDocument(b: Block, utf16: number): number {
  return b.start + toCodePoint(b.map, utf16);
}

/** A document code-point offset inside a block as a UTF-16 offset into its text. */
export function documentToBlock(b: Block, codePoint: number): number {
  return toUtf16(b.map, codePoint - b.start);
}

/** The UTF-16 offset of every code point of `text` in order, and the end: for tests and
 * small texts, where a dense table is simpler than the map. */
export function codePointStarts(text: string): number[] {
  const starts: number[] = [];
  let i = 0;
  for (const ch of text) {
    starts.push(i);
    i += ch.length;
  }
  starts.push(i);
  return starts;
}

/** `text` sliced by code points, as Python's `text[start:end]` reads it. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  const map = offsetMap(text);
  return text.slice(toUtf16(map, start), toUtf16(map, end));
}

let graphemes: Intl.Segmenter | null = null;
let words: Intl.Segmenter | null = null;

function graphemeSegmenter(): Intl.Segmenter {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  return graphemes;
}

function wordSegmenter(): Intl.Segmenter {
  words ??= new Intl.Segmenter(undefined, { granularity: "word" });
  return words;
}

/** The grapheme boundary at or before `i` (UTF-16). */
export function graphemeFloor(text: string, i: number): number {
  if (i <= 0) return 0;
  if (i >= text.length) return text.length;
  const seg = graphemeSegmenter().segment(text).containing(i);
  return seg ? seg.index : i;
}

/** The grapheme boundary at or after `i` (UTF-16). */
export function graphemeCeil(text: string, i: number): number {
  if (i <= 0) return 0;
  if (i >= text.length) return text.length;
  const seg = graphemeSegmenter().segment(text).containing(i);
  if (!seg || seg.index === i) return i;
  return seg.index + seg.segment.length;
}

/** Widen a UTF-16 selection [start, end) so it splits no grapheme cluster: no half of an
 * emoji, a ZWJ sequence, a flag, or a base letter without its combining marks. */
export function snapToGraphemes(text: string, start: number, end: number): [number, number] {
  const a = Math.min(start, end);
  const b = Math.max(start, end);
  return [graphemeFloor(text, a), graphemeCeil(text, b)];
}

/** Widen a UTF-16 selection to whole words, then trim white space at its edges. A
 * selection of only white space and punctuation stays as it is, grapheme-snapped. */
export function snapToWords(text: string, start: number, end: number): [number, number] {
  let [a, b] = snapToGraphemes(text, start, end);
  const segments = wordSegmenter().segment(text);
  const first = a < text.length ? segments.containing(a) : undefined;
  if (first?.isWordLike) a = first.index;
  const last = b > 0 ? segments.containing(b - 1) : undefined;
  if (last?.isWordLike) b = last.index + last.segment.length;
  while (a < b && /\s/.test(text[a] as string)) a++;
  while (b > a && /\s/.test(text[b - 1] as string)) b--;
  if (a >= b) return snapToGraphemes(text, start, end);
  return [a, b];
}

/** The next grapheme boundary after `i`, or the previous one before it (UTF-16). */
export function stepGrapheme(text: string, i: number, direction: 1 | -1): number {
  if (direction > 0) {
    if (i >= text.length) return text.length;
    const seg = graphemeSegmenter().segment(text).containing(i);
    return seg ? seg.index + seg.segment.length : i + 1;
  }
  if (i <= 0) return 0;
  const seg = graphemeSegmenter().segment(text).containing(i - 1);
  return seg ? seg.index : i - 1;
}

/** The next word boundary after `i`, or the previous one before it (UTF-16), skipping
 * white space as text editors do with Ctrl+arrows. */
export function stepWord(text: string, i: number, direction: 1 | -1): number {
  const segments = wordSegmenter().segment(text);
  if (direction > 0) {
    let pos = i;
    while (pos < text.length) {
      const seg = segments.containing(pos);
      if (!seg) break;
      const end = seg.index + seg.segment.length;
      if (seg.isWordLike) return end;
      pos = end;
    }
    return text.length;
  }
  let pos = i;
  while (pos > 0) {
    const seg = segments.containing(pos - 1);
    if (!seg) break;
    if (seg.isWordLike) return seg.index;
    pos = seg.index;
  }
  return 0;
}
