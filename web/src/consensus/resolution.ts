// What a lead's choice on an item writes to the consensus layer, computed in the browser
// as a preview. The server's engine (server/accord/consensus/resolution.py) decides; this
// mirrors it per code so the lead sees the outcome, or the refusal, before pressing Enter.
import type { QueueItem } from "./items";

export type Action = "TAKE_CODER" | "UNION" | "INTERSECTION" | "CUSTOM" | "DROP";

export interface Choice {
  action: Action;
  coderId?: string;
  start?: number;
  end?: number;
  codeIds?: string[];
}

export interface Written {
  codeId: string;
  start: number;
  end: number;
}

export type Span = [number, number];

/** Spans that share a code point fused, in order; touching spans stay apart (two
 * meaning units), as on the server. */
export function fuse(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Span[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s < last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The text both span lists cover. */
export function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [as, ae] = a[i] as Span;
    const [bs, be] = b[j] as Span;
    const s = Math.max(as, bs);
    const e = Math.min(ae, be);
    if (s < e) out.push([s, e]);
    if (ae <= be) i++;
    else j++;
  }
  return out;
}

/** The key of the brief for a choice: 1…n take coder n, U union, I intersection, C custom,
 * D drop. Null for any other key. */
export function choiceForKey(key: string, coderIds: readonly string[]): Choice | null {
  if (/^[1-9]$/.test(key)) {
    const coderId = coderIds[Number(key) - 1];
    return coderId ? { action: "TAKE_CODER", coderId } : null;
  }
  switch (key.toLowerCase()) {
    case "u":
      return { action: "UNION" };
    case "i":
      return { action: "INTERSECTION" };
    case "c":
      return { action: "CUSTOM" };
    case "d":
      return { action: "DROP" };
    default:
      return null;
  }
}

function perCode(
  segments: QueueItem["segments"],
  combine: (codeId: string, perCoder: Span[][]) => Span[],
): Written[] {
  const texts = new Map<string, Map<string, Span[]>>();
  for (const s of segments) {
    const byCoder = texts.get(s.codeId) ?? new Map<string, Span[]>();
    texts.set(s.codeId, byCoder);
    byCoder.set(s.coderId, [...(byCoder.get(s.coderId) ?? []), [s.start, s.end]]);
  }
  const out: Written[] = [];
  for (const [codeId, byCoder] of texts) {
    const perCoder = [...byCoder.values()].map(fuse);
    for (const [start, end] of combine(codeId, perCoder)) out.push({ codeId, start, end });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end || a.codeId.localeCompare(b.codeId));
}

export class ResolutionRefused extends Error {}

/** What the choice writes for the item; throws ResolutionRefused with the reason when the
 * server would refuse it. */
export function preview(item: QueueItem, choice: Choice, documentLength: number): Written[] {
  switch (choice.action) {
    case "TAKE_CODER":
      return perCode(
        item.segments.filter((s) => s.coderId === choice.coderId),
        (_c, texts) => fuse(texts.flat()),
      );
    case "UNION":
      return perCode(item.segments, (_c, texts) => fuse(texts.flat()));
    case "INTERSECTION":
      return perCode(item.segments, (_c, texts) => {
        const shared = texts.slice(1).reduce(intersect, texts[0] ?? []);
        if (shared.length === 0) {
          throw new ResolutionRefused(
            "The coders who used this code marked text that does not overlap, so there is " +
              "no intersection: take one coder's version or set a custom extent.",
          );
        }
        return shared;
      });
    case "CUSTOM": {
      const { start, end } = choice;
      const codeIds = choice.codeIds ?? [];
      if (start === undefined || end === undefined || start >= end) {
        throw new ResolutionRefused("Set a custom extent: its start must come before its end.");
      }
      if (start < 0 || end > documentLength) {
        throw new ResolutionRefused("The custom extent must lie inside the document.");
      }
      if (end <= item.start || start >= item.end) {
        throw new ResolutionRefused("The custom extent must overlap the item.");
      }
      if (codeIds.length === 0) throw new ResolutionRefused("Choose at least one code.");
      return codeIds.map((codeId) => ({ codeId, start, end }));
    }
    case "DROP":
      return [];
  }
}

/** The ResolutionInput the API takes for a choice. */
export function resolutionInput(choice: Choice): {
  action: Action;
  coderId?: string;
  start?: number;
  end?: number;
  codeIds?: string[];
} {
  switch (choice.action) {
    case "TAKE_CODER":
      return { action: "TAKE_CODER", coderId: choice.coderId ?? "" };
    case "CUSTOM":
      return {
        action: "CUSTOM",
        start: choice.start ?? 0,
        end: choice.end ?? 0,
        codeIds: choice.codeIds ?? [],
      };
    default:
      return { action: choice.action };
  }
}

/** Quick reasons a lead can pick for the rationale; free text is always possible. */
export const QUICK_REASONS: Record<Action, readonly string[]> = {
  TAKE_CODER: [
    "This reading follows the code's definition",
    "The other extent includes text outside the meaning unit",
  ],
  UNION: ["The whole meaning unit carries the code", "Both extents belong to one statement"],
  INTERSECTION: ["Only the shared core carries the code", "The extra text is context, not meaning"],
  CUSTOM: ["Neither extent matches the meaning unit", "Adjusted to the sentence boundary"],
  DROP: ["Not codable under the codebook", "An exclusion criterion applies"],
};

export const ACTION_LABELS: Record<Action, string> = {
  TAKE_CODER: "Take a coder's version",
  UNION: "Union",
  INTERSECTION: "Intersection",
  CUSTOM: "Custom extent",
  DROP: "Drop",
};

/** A decision in words: "took Ingrid Solberg's version", "a custom extent 10–40 coded
 * Relief". */
export function describeResolution(
  resolution: {
    action: Action;
    coderId: string | null;
    start: number | null;
    end: number | null;
    codeIds: readonly string[] | null;
  },
  coderName: (id: string | null) => string,
  codeName: (id: string) => string,
): string {
  switch (resolution.action) {
    case "TAKE_CODER":
      return `took ${coderName(resolution.coderId)}'s version`;
    case "UNION":
      return "took the union of the coders' extents";
    case "INTERSECTION":
      return "took the intersection of the coders' extents";
    case "CUSTOM":
      return `set a custom extent ${resolution.start}–${resolution.end} coded ${(
        resolution.codeIds ?? []
      )
        .map(codeName)
        .join(", ")}`;
    case "DROP":
      return "dropped it: nothing goes to the consensus layer";
  }
}
