// Comparing extents character by character: an item's stretch of text cut into runs at
// every boundary any lane places, each run knowing which codes every lane has on it.
// Offsets are code points (as the API counts); CodePoints converts for the browser.

/** A text addressed by code point. Plain BMP text needs no table; text with characters
 * outside the BMP (emoji) gets one once. */
export class CodePoints {
  readonly length: number;
  private readonly units: Uint32Array | null;

  constructor(readonly text: string) {
    if (/[\uD800-\uDFFF]/.test(text)) {
      const units: number[] = [];
      let u = 0;
      for (const ch of text) {
        units.push(u);
        u += ch.length;
      }
      units.push(u);
      this.units = Uint32Array.from(units);
      this.length = units.length - 1;
    } else {
      this.units = null;
      this.length = text.length;
    }
  }

  /** The UTF-16 index of code point `cp`. */
  utf16(cp: number): number {
    const clamped = Math.max(0, Math.min(this.length, cp));
    return this.units ? (this.units[clamped] as number) : clamped;
  }

  /** The code point at or before UTF-16 index `unit`. */
  codePoint(unit: number): number {
    if (!this.units) return Math.max(0, Math.min(this.length, unit));
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.units[mid] as number) <= unit) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  slice(start: number, end: number): string {
    return this.text.slice(this.utf16(start), this.utf16(end));
  }
}

export interface LaneSegment {
  codeId: string;
  start: number;
  end: number;
}

export interface Lane {
  key: string;
  label: string;
  segments: readonly LaneSegment[];
}

export interface Run {
  start: number;
  end: number;
  text: string;
  /** Per lane, in lane order: the codes that lane has on this run (sorted). */
  cover: string[][];
  /** The compared lanes do not all have the same codes here. */
  differs: boolean;
}

/** `[from, to)` cut at every lane boundary inside it. The first `compared` lanes (the
 * coders) decide `differs`; later lanes (consensus, a custom extent) are drawn only. */
export function runs(
  text: CodePoints,
  from: number,
  to: number,
  lanes: readonly Lane[],
  compared = lanes.length,
): Run[] {
  const cuts = new Set([from, to]);
  for (const lane of lanes) {
    for (const s of lane.segments) {
      if (s.start > from && s.start < to) cuts.add(s.start);
      if (s.end > from && s.end < to) cuts.add(s.end);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Run[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    const cover = lanes.map((lane) =>
      lane.segments
        .filter((s) => s.start <= start && s.end >= end)
        .map((s) => s.codeId)
        .sort(),
    );
    const keys = cover.slice(0, compared).map((codes) => codes.join(" "));
    out.push({ start, end, text: text.slice(start, end), cover, differs: new Set(keys).size > 1 });
  }
  return out;
}

/** A window around `[start, end)` with about `context` code points either side, widened
 * so that no word is cut at either edge. */
export function around(text: CodePoints, start: number, end: number, context = 60): [number, number] {
  let from = Math.max(0, start - context);
  let to = Math.min(text.length, end + context);
  const before = text.slice(Math.max(0, from - 40), from);
  if (from > 0 && /\S$/.test(before) && /^\S/.test(text.slice(from, from + 1))) {
    from -= [...(before.match(/\S*$/)?.[0] ?? "")].length;
  }
  const after = text.slice(to, Math.min(text.length, to + 40));
  if (to < text.length && /^\S/.test(after) && /\S$/.test(text.slice(to - 1, to))) {
    to += [...(after.match(/^\S*/)?.[0] ?? "")].length;
  }
  return [from, to];
}

/** Where the compared lanes differ, as text for a screen reader: "37–52: Ingrid only". */
export function describeDifferences(
  result: readonly Run[],
  lanes: readonly Lane[],
  compared = lanes.length,
  codeName: (id: string) => string = (id) => id,
): string[] {
  return result
    .filter((run) => run.differs)
    .map((run) => {
      const parts = lanes.slice(0, compared).map((lane, i) => {
        const codes = run.cover[i] ?? [];
        return `${lane.label}: ${codes.length ? codes.map(codeName).join(", ") : "nothing"}`;
      });
      return `“${run.text}” (${run.start}–${run.end}): ${parts.join("; ")}`;
    });
}
