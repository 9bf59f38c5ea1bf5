// Drawing a transcript: one block per unit (a speaker turn, or a paragraph), each built
// once as an HTML string with its coding lanes, and rebuilt alone when a coding on it
// changes. Codings are never wrapped one by one into the live DOM (that takes minutes on
// a long transcript); blocks use `content-visibility: auto`, so only what is on screen is
// laid out, while the whole text stays in the page for find-in-page, native selection and
// screen readers. Shared by the coder's workspace and consensus review.

import { type Block, block, blockToDocument, documentToBlock, offsetMap, toUtf16 } from "./offsets";
import { type Span, pieces } from "./lanes";

export interface UnitInfo {
  start: number;
  end: number;
  speaker?: string | null;
  startTime?: number | null;
}

export interface TranscriptBlock extends Block {
  readonly index: number;
  readonly speaker: string | null;
  readonly startTime: number | null;
  /** "turn" for a speaker turn, "paragraph" otherwise. */
  readonly kind: "turn" | "paragraph";
}

/** Blocks that cover every non-blank stretch of `text`: the units, plus any text between
 * them (such as a preamble before the first speaker label) as paragraphs. */
export function blocksFor(text: string, units: readonly UnitInfo[], kind: "turn" | "paragraph"): TranscriptBlock[] {
  const map = offsetMap(text);
  const sorted = [...units].sort((a, b) => a.start - b.start);
  const out: TranscriptBlock[] = [];
  const add = (start: number, end: number, unit: UnitInfo | null, k: "turn" | "paragraph") => {
    const s16 = toUtf16(map, start);
    const e16 = toUtf16(map, end);
    const piece = text.slice(s16, e16);
    const lead = piece.length - piece.trimStart().length;
    const body = piece.trim();
    if (!body) return;
    const startCp = start + [...piece.slice(0, lead)].length;
    out.push({
      ...block(startCp, body),
      index: out.length,
      speaker: unit?.speaker ?? null,
      startTime: unit?.startTime ?? null,
      kind: k,
    });
  };
  let pos = 0;
  for (const unit of sorted) {
    if (unit.start < pos) continue; // overlapping units: keep the first
    if (unit.start > pos) gap(pos, unit.start);
    add(unit.start, unit.end, unit, kind);
    pos = unit.end;
  }
  gap(pos, map.length);
  return out;

  function gap(from: number, to: number) {
    // Text outside any unit: one paragraph per run between blank lines.
    const s16 = toUtf16(map, from);
    const chunk = text.slice(s16, toUtf16(map, to));
    let cursor = from;
    for (const part of chunk.split(/(\n[ \t]*\n)/)) {
      const length = [...part].length;
      if (!/^\n[ \t]*\n$/.test(part)) add(cursor, cursor + length, null, "paragraph");
      cursor += length;
    }
  }
}

/** The block holding a document offset (or the nearest one before it). */
export function blockAt(blocks: readonly TranscriptBlock[], offset: number): TranscriptBlock | null {
  let lo = 0;
  let hi = blocks.length - 1;
  let found: TranscriptBlock | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const b = blocks[mid] as TranscriptBlock;
    if (b.start <= offset) {
      found = b;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function formatTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return hh ? `${hh}:${two(mm)}:${two(ss)}` : `${two(mm)}:${two(ss)}`;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string);
}

/** How a coding looks: its code's name and colour, and whose layer it is in. */
export interface SpanLook {
  label: string;
  color: string;
  /** Shown after the label in lists, e.g. the coder's name on a revealed layer. */
  owner?: string;
  /** The line style (an index into LANE_PATTERNS) whatever the lane, so that a view
   * with a lane per layer tells the layers apart by line as well as by place. */
  pattern?: number;
}

export interface DrawOptions {
  /** Lanes drawn as underlines; spans in later lanes count in a "+n". */
  maxLanes: number;
  lane: ReadonlyMap<string, number>;
  look: (span: Span) => SpanLook;
  /** The id prefix of this transcript's elements (several may share a page). */
  idPrefix: string;
}

// Lanes are told apart by their line as well as by colour: solid, dashed, dotted,
// dash-dot. By default a lane's place picks its line; a look's `pattern` overrides it.
const LANE_PATTERNS = [
  (c: string) => `linear-gradient(${c},${c})`,
  (c: string) => `repeating-linear-gradient(90deg,${c} 0 6px,transparent 6px 9px)`,
  (c: string) => `repeating-linear-gradient(90deg,${c} 0 2px,transparent 2px 4px)`,
  (c: string) => `repeating-linear-gradient(90deg,${c} 0 8px,transparent 8px 10px,${c} 10px 12px,transparent 12px 14px)`,
];
export const LANE_PATTERN_NAMES = ["solid", "dashed", "dotted", "dash-dot"] as const;
const LANE_GAP_PX = 4;

/** The CSS background image of a lane's line in pattern `pattern` (for legends). */
export function laneImage(pattern: number, color: string): string {
  return (LANE_PATTERNS[pattern % LANE_PATTERNS.length] as (c: string) => string)(color);
}

function laneStyle(entries: readonly [number, string, number?][]): string {
  if (!entries.length) return "";
  const images = entries.map(([lane, color, pattern]) => laneImage(pattern ?? lane, color));
  const positions = entries.map(([lane]) => `0 calc(100% - ${lane * LANE_GAP_PX}px)`);
  return (
    `background-image:${images.join(",")};background-position:${positions.join(",")};` +
    "background-size:100% 2px;background-repeat:no-repeat"
  );
}

/** The inner HTML of a block's text: one span per piece between coding boundaries. */
export function blockTextHtml(b: TranscriptBlock, spans: readonly Span[], options: DrawOptions): string {
  if (!spans.length) return escapeHtml(b.text);
  const { lane, maxLanes, look } = options;
  const byId = new Map(spans.map((s) => [s.id, s]));
  let html = "";
  for (const piece of pieces(b.start, b.end, spans, lane)) {
    const text = b.text.slice(documentToBlock(b, piece.start), documentToBlock(b, piece.end));
    if (!piece.ids.length) {
      html += escapeHtml(text);
      continue;
    }
    const drawn: [number, string, number?][] = [];
    let hiddenStarting = 0;
    for (const id of piece.ids) {
      const s = byId.get(id) as Span;
      const l = lane.get(id) ?? 0;
      if (l < maxLanes) {
        const seen = look(s);
        drawn.push(seen.pattern === undefined ? [l, seen.color] : [l, seen.color, seen.pattern]);
      }
      else if (s.start === piece.start || piece.start === b.start) hiddenStarting++;
    }
    const more = hiddenStarting ? ` data-more="+${hiddenStarting}"` : "";
    html += `<span class="pc" data-ids="${escapeHtml(piece.ids.join(" "))}"${more} style="${laneStyle(drawn)}">${escapeHtml(text)}</span>`;
  }
  return html;
}

/** The margin stripes of a block: one per drawn lane in use, in its code's colour. */
export function blockStripesHtml(spans: readonly Span[], options: DrawOptions): string {
  const lanes = new Map<number, Span[]>();
  for (const s of spans) {
    const l = options.lane.get(s.id) ?? 0;
    if (l >= options.maxLanes) continue;
    let list = lanes.get(l);
    if (!list) lanes.set(l, (list = []));
    list.push(s);
  }
  let html = "";
  for (const [l, list] of [...lanes].sort((a, b) => a[0] - b[0])) {
    const first = list[0] as Span;
    const names = [...new Set(list.map((s) => options.look(s).label))].join(", ");
    html += `<span class="stripe" style="left:${l * 5}px;background:${escapeHtml(options.look(first).color)}" title="${escapeHtml(names)}"></span>`;
  }
  return html;
}

/** A list of the block's codings for screen readers and keyboard users. */
export function blockListHtml(b: TranscriptBlock, spans: readonly Span[], options: DrawOptions): string {
  if (!spans.length) return "";
  const items = spans
    .map((s) => {
      const l = look(s);
      const from = documentToBlock(b, Math.max(s.start, b.start));
      const to = documentToBlock(b, Math.min(s.end, b.end));
      let quote = b.text.slice(from, to);
      if (quote.length > 80) quote = `${quote.slice(0, 77)}…`;
      const owner = l.owner ? ` (${l.owner})` : "";
      return `<li>${escapeHtml(l.label)}${escapeHtml(owner)}: “${escapeHtml(quote)}”</li>`;
    })
    .join("");
  return `<ul class="unit-codings" aria-label="Codings here">${items}</ul>`;

  function look(s: Span): SpanLook {
    return options.look(s);
  }
}

export function blockHeadText(b: TranscriptBlock): string {
  if (b.kind === "turn") {
    const time = b.startTime !== null ? ` · ${formatTime(b.startTime)}` : "";
    return `${b.speaker ?? "Turn"}${time}`;
  }
  return `Paragraph ${b.index + 1}`;
}

/** A whole block's element, built as one string. */
export function blockHtml(b: TranscriptBlock, spans: readonly Span[], options: DrawOptions): string {
  const id = `${options.idPrefix}-${b.index}`;
  return (
    `<section class="unit unit-${b.kind}" id="${id}" data-b="${b.index}" aria-labelledby="${id}-h">` +
    `<h3 class="unit-head" id="${id}-h">${escapeHtml(blockHeadText(b))}</h3>` +
    `<div class="unit-body"><div class="stripes" aria-hidden="true">${blockStripesHtml(spans, options)}</div>` +
    `<p class="unit-text" data-b="${b.index}">${blockTextHtml(b, spans, options)}</p></div>` +
    `<div class="unit-list">${blockListHtml(b, spans, options)}</div></section>`
  );
}

/** Rebuild one drawn block in place. */
export function redrawBlock(section: Element, b: TranscriptBlock, spans: readonly Span[], options: DrawOptions): void {
  const text = section.querySelector(".unit-text");
  const stripes = section.querySelector(".stripes");
  const list = section.querySelector(".unit-list");
  if (text) text.innerHTML = blockTextHtml(b, spans, options);
  if (stripes) stripes.innerHTML = blockStripesHtml(spans, options);
  if (list) list.innerHTML = blockListHtml(b, spans, options);
}

/** A DOM position inside a drawn transcript as a document offset (code points). A
 * position outside a block's text (its heading, the margin) counts as the text's start,
 * or its end when it lies after the text. */
export function domToOffset(
  blocks: readonly TranscriptBlock[],
  node: Node,
  offset: number,
): number | null {
  const el = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  const section = el?.closest("section.unit");
  if (!section) return null;
  const b = blocks[Number((section as HTMLElement).dataset.b)];
  if (!b) return null;
  const p = section.querySelector(".unit-text");
  if (!p) return b.start;
  if (!p.contains(node)) {
    const after = p.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING;
    return after ? b.end : b.start;
  }
  let u16 = 0;
  if (node.nodeType === Node.TEXT_NODE) {
    u16 = offset;
  } else {
    // An element and a child index: count the text of the children before it.
    const children = node.childNodes;
    for (let i = 0; i < offset && i < children.length; i++) u16 += (children[i] as Node).textContent?.length ?? 0;
    node = children[Math.min(offset, children.length - 1)] ?? node;
    if (offset >= children.length) return blockToDocument(b, textLengthBefore(p, node) + (node.textContent?.length ?? 0));
    return blockToDocument(b, textLengthBefore(p, node));
  }
  return blockToDocument(b, textLengthBefore(p, node) + u16);
}

function textLengthBefore(root: Element, stop: Node): number {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let total = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n === stop || stop.contains(n)) break;
    total += (n as Text).length;
  }
  return total;
}

/** The DOM position of a document offset within a drawn block's text. */
export function offsetToDom(
  root: Element,
  blocks: readonly TranscriptBlock[],
  offset: number,
  idPrefix: string,
): { node: Node; offset: number } | null {
  const b = blockAt(blocks, offset);
  if (!b) return null;
  const p = root.querySelector(`#${CSS.escape(`${idPrefix}-${b.index}`)} .unit-text`);
  if (!p) return null;
  let u16 = documentToBlock(b, Math.min(offset, b.end));
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let last: Text | null = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n as Text;
    if (u16 <= t.length) return { node: t, offset: u16 };
    u16 -= t.length;
    last = t;
  }
  return last ? { node: last, offset: last.length } : { node: p, offset: 0 };
}

/** A DOM range over [start, end) of the document, clipped to drawn blocks. */
export function rangeFor(
  root: Element,
  blocks: readonly TranscriptBlock[],
  start: number,
  end: number,
  idPrefix: string,
): Range | null {
  const first = blockAt(blocks, start);
  const from = offsetToDom(root, blocks, first && first.end <= start ? nextStart(blocks, first) : start, idPrefix);
  const to = offsetToDom(root, blocks, end, idPrefix);
  if (!from || !to) return null;
  const range = document.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  return range;
}

function nextStart(blocks: readonly TranscriptBlock[], b: TranscriptBlock): number {
  return blocks[b.index + 1]?.start ?? b.end;
}
