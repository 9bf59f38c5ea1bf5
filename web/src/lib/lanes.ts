// Lanes: where each coding is drawn under the text. Codings overlap freely in qualitative
// work, so each gets a lane (a row of underline) that no overlapping coding shares,
// packed greedily from the top; only the first few lanes are drawn, the rest show as a
// "+n" count. Lanes can be grouped by layer (a coder, the consensus), so a view with
// several coders gives each its own band of lanes. All positions are code points.

export interface Span {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly codeId: string;
  /** Whose layer: a coder's id, "consensus", or any key a view groups lanes by. */
  readonly layer: string;
}

export interface LaneGroup {
  readonly key: string;
  /** The group's first lane. */
  readonly first: number;
  /** How many lanes it uses. */
  readonly count: number;
}

export interface LaneLayout {
  /** Lane of each span, by id. */
  readonly lane: ReadonlyMap<string, number>;
  readonly laneCount: number;
  readonly groups: readonly LaneGroup[];
}

/** Reading order: by start, the longer first, then by id so the layout is stable. */
export function byPosition(a: Span, b: Span): number {
  return a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whether `spans` is already in reading order (a view usually passes it so). */
export function inOrder(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++) if (byPosition(spans[i - 1] as Span, spans[i] as Span) > 0) return false;
  return true;
}

/** Greedy interval packing: each span takes the lowest lane free at its start. */
function packGroup(spans: readonly Span[], base: number, lane: Map<string, number>): number {
  const laneEnds: number[] = [];
  for (const s of inOrder(spans) ? spans : [...spans].sort(byPosition)) {
    let i = laneEnds.findIndex((end) => end <= s.start);
    if (i < 0) {
      i = laneEnds.length;
      laneEnds.push(s.end);
    } else {
      laneEnds[i] = s.end;
    }
    lane.set(s.id, base + i);
  }
  return laneEnds.length;
}

/** Lanes for every span. With `groupOf`, each group (e.g. each coder's layer) gets its
 * own band of lanes, in the order of `groupOrder` (groups not named there follow, in
 * order of first appearance). */
export function packLanes(
  spans: readonly Span[],
  groupOf?: (s: Span) => string,
  groupOrder: readonly string[] = [],
): LaneLayout {
  const lane = new Map<string, number>();
  if (!groupOf) {
    const count = packGroup(spans, 0, lane);
    return { lane, laneCount: count, groups: [{ key: "", first: 0, count }] };
  }
  const byGroup = new Map<string, Span[]>();
  for (const key of groupOrder) byGroup.set(key, []);
  for (const s of spans) {
    const key = groupOf(s);
    let list = byGroup.get(key);
    if (!list) byGroup.set(key, (list = []));
    list.push(s);
  }
  const groups: LaneGroup[] = [];
  let next = 0;
  for (const [key, list] of byGroup) {
    const count = packGroup(list, next, lane);
    groups.push({ key, first: next, count });
    next += count;
  }
  return { lane, laneCount: next, groups };
}

/** For each block (ascending, non-overlapping [start, end)), the indexes of the spans
 * that touch it. `spans` sorted by start. One pass; a span over several blocks is listed
 * in each. */
export function bucketByBlock(
  blocks: readonly { start: number; end: number }[],
  spans: readonly Span[],
): number[][] {
  const buckets: number[][] = blocks.map(() => []);
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i] as Span;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((blocks[mid] as { end: number }).end <= s.start) lo = mid + 1;
      else hi = mid;
    }
    for (let b = lo; b < blocks.length && (blocks[b] as { start: number }).start < s.end; b++) {
      (buckets[b] as number[]).push(i);
    }
  }
  return buckets;
}

/** A stretch of a block covered by the same codings. */
export interface Piece {
  readonly start: number;
  readonly end: number;
  /** Ids of the codings over it, by lane. */
  readonly ids: readonly string[];
}

/** Cut [start, end) at every boundary of the spans over it. Stretches no span covers are
 * pieces too (with no ids), so the pieces tile the block. */
export function pieces(
  start: number,
  end: number,
  spans: readonly Span[],
  lane: ReadonlyMap<string, number>,
): Piece[] {
  const cuts = new Set<number>([start, end]);
  for (const s of spans) {
    if (s.start > start && s.start < end) cuts.add(s.start);
    if (s.end > start && s.end < end) cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Piece[] = [];
  const ordered = [...spans].sort((a, b) => (lane.get(a.id) ?? 0) - (lane.get(b.id) ?? 0));
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as number;
    const b = points[i + 1] as number;
    const ids = ordered.filter((s) => s.start <= a && s.end >= b).map((s) => s.id);
    out.push({ start: a, end: b, ids });
  }
  return out;
}

/** The spans over the character at `offset` (or touching it, when `offset` is an end),
 * by lane: what `O` cycles through. */
export function spansAt(
  spans: readonly Span[],
  offset: number,
  lane: ReadonlyMap<string, number>,
): Span[] {
  const inside = spans.filter((s) => s.start <= offset && offset < s.end);
  const found = inside.length ? inside : spans.filter((s) => s.end === offset);
  return found.sort((a, b) => (lane.get(a.id) ?? 0) - (lane.get(b.id) ?? 0));
}

/** The next span after `current` in `list`, wrapping; the first when `current` is not in it. */
export function cycle<T extends { id: string }>(list: readonly T[], current: string | null): T | null {
  if (!list.length) return null;
  const at = list.findIndex((s) => s.id === current);
  return list[(at + 1) % list.length] as T;
}

/** `J`/`K`: the span after (or before) `current` in reading order; from an offset when
 * no span is current. */
export function neighbour(
  sorted: readonly Span[],
  current: Span | null,
  offset: number,
  direction: 1 | -1,
): Span | null {
  if (!sorted.length) return null;
  if (current) {
    const at = sorted.findIndex((s) => s.id === current.id);
    if (at >= 0) return sorted[at + direction] ?? null;
  }
  if (direction > 0) return sorted.find((s) => s.start >= offset) ?? null;
  for (let i = sorted.length - 1; i >= 0; i--) {
    if ((sorted[i] as Span).start < offset) return sorted[i] as Span;
  }
  return null;
}
