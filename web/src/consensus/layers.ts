// The review's transcript: every coder's codings and the consensus layer of a document's
// items as spans for the shared TranscriptView, one band of lanes per layer, each layer
// with its own line style. Plain functions over what the API returned; nothing here
// touches the DOM.
import { packLanes, byPosition, type Span } from "../lib/lanes";
import { LANE_PATTERN_NAMES } from "../lib/transcript";

/** The consensus layer's key among the coders' ids. */
export const CONSENSUS = "consensus";

export interface LayerItem {
  key: string;
  start: number;
  end: number;
  segments: readonly { codingId: string; coderId: string; codeId: string; start: number; end: number }[];
  consensusCodings: readonly { id: string; start: number; end: number; code: { id: string } }[];
}

export interface Layer {
  /** A coder's id, or CONSENSUS. */
  key: string;
  name: string;
  /** Index into the transcript's lane patterns. */
  pattern: number;
  /** "solid", "dashed", ...: the line in words, for the legend. */
  line: string;
}

// The coders' lines in turn, and the consensus layer's own: the same sequence as the
// item's comparison strip (lanestyle.ts), so a coder has one line everywhere.
const CODER_LINES = ["solid", "dotted", "dashed"] as const;
const CONSENSUS_LINE = "dash-dot";

function line(name: string): Pick<Layer, "pattern" | "line"> {
  return { pattern: (LANE_PATTERN_NAMES as readonly string[]).indexOf(name), line: name };
}

/** The layers in lane order: the coders as the items list them, then the consensus. The
 * consensus has a line style of its own; coders take the others in turn. */
export function layersOf(coders: readonly { id: string; name: string }[]): Layer[] {
  const out: Layer[] = coders.map((c, i) => ({
    key: c.id,
    name: c.name,
    ...line(CODER_LINES[i % CODER_LINES.length] as string),
  }));
  out.push({ key: CONSENSUS, name: "Consensus", ...line(CONSENSUS_LINE) });
  return out;
}

export interface ReviewSpans {
  /** In reading order. */
  spans: Span[];
  /** The item each span belongs to (its first, when a coding is in several). */
  itemOf: ReadonlyMap<string, string>;
}

/** The spans of the layers in `shown`: a coder's coding once however many items hold it,
 * likewise a consensus coding. Span ids are stable across reloads, so the transcript
 * redraws only the units where something changed. */
export function reviewSpans(items: readonly LayerItem[], shown: ReadonlySet<string>): ReviewSpans {
  const spans: Span[] = [];
  const itemOf = new Map<string, string>();
  const add = (span: Span, key: string) => {
    if (itemOf.has(span.id)) return;
    itemOf.set(span.id, key);
    spans.push(span);
  };
  for (const item of items) {
    for (const s of item.segments) {
      if (!shown.has(s.coderId)) continue;
      add({ id: `c:${s.codingId}`, start: s.start, end: s.end, codeId: s.codeId, layer: s.coderId }, item.key);
    }
    if (!shown.has(CONSENSUS)) continue;
    for (const c of item.consensusCodings) {
      add({ id: `k:${c.id}`, start: c.start, end: c.end, codeId: c.code.id, layer: CONSENSUS }, item.key);
    }
  }
  spans.sort(byPosition);
  return { spans, itemOf };
}

/** Where an item lies: its own extent and every coding in it, whichever is wider. */
export function itemExtent(item: LayerItem): { start: number; end: number } {
  let start = item.start;
  let end = item.end;
  for (const s of item.segments) {
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
  }
  return { start, end };
}

/** How many lanes to draw: every lane the shown layers use, at least three, at most
 * eight (past that a "+n" says how many more codings are there). */
export function laneBudget(spans: readonly Span[], order: readonly string[]): number {
  const { laneCount } = packLanes(spans, (s) => s.layer, order);
  return Math.min(8, Math.max(3, laneCount));
}

/** A click on coded text: the item to make current, given the spans under the click (top
 * lane first). Clicking again where the current item is moves on to the next item there,
 * so stacked items can each be reached. */
export function pickedItem(
  ids: readonly string[],
  itemOf: ReadonlyMap<string, string>,
  current: string | null,
): string | null {
  const keys = [...new Set(ids.map((id) => itemOf.get(id)).filter((k): k is string => !!k))];
  if (!keys.length) return null;
  const at = current ? keys.indexOf(current) : -1;
  return keys[(at + 1) % keys.length] ?? null;
}
