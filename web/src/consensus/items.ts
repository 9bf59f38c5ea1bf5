// The consensus queue as plain data: labels, filters, counts and moving through it.
// Components draw what these functions return; nothing here touches the DOM.

export type Kind = "EXACT_AGREEMENT" | "BOUNDARY_DIFFERENCE" | "CODE_DIFFERENCE" | "OMISSION";
export type Status = "OPEN" | "AUTO_ACCEPTED" | "RESOLVED";

export interface Segment {
  codingId: string;
  coderId: string;
  codeId: string;
  start: number;
  end: number;
  text: string;
}

export interface QueueItem {
  id: string | null;
  key: string;
  kind: Kind;
  status: Status;
  start: number;
  end: number;
  version: number;
  segments: readonly Segment[];
}

export interface QueueFilter {
  kind: Kind | "";
  status: Status | "";
  codeId: string;
  coderId: string;
}

export const NO_FILTER: QueueFilter = { kind: "", status: "", codeId: "", coderId: "" };

export const KIND_LABELS: Record<Kind, string> = {
  EXACT_AGREEMENT: "Exact agreement",
  BOUNDARY_DIFFERENCE: "Boundary difference",
  CODE_DIFFERENCE: "Code difference",
  OMISSION: "Omission",
};

export const STATUS_LABELS: Record<Status, string> = {
  OPEN: "Open",
  AUTO_ACCEPTED: "Accepted by the rule",
  RESOLVED: "Resolved",
};

/** Items that pass every part of the filter; an empty part lets everything through. */
export function filterItems<T extends QueueItem>(items: readonly T[], filter: QueueFilter): T[] {
  return items.filter(
    (item) =>
      (!filter.kind || item.kind === filter.kind) &&
      (!filter.status || item.status === filter.status) &&
      (!filter.codeId || item.segments.some((s) => s.codeId === filter.codeId)) &&
      (!filter.coderId || item.segments.some((s) => s.coderId === filter.coderId)),
  );
}

/** The key `delta` places from `current` in `items` (J: +1, K: -1), stopping at the ends;
 * with nothing current, the first (or last) item. */
export function step(
  items: readonly QueueItem[],
  current: string | null,
  delta: 1 | -1,
): string | null {
  if (items.length === 0) return null;
  const at = items.findIndex((item) => item.key === current);
  if (at < 0) return (delta > 0 ? items[0] : items[items.length - 1])?.key ?? null;
  const next = Math.min(items.length - 1, Math.max(0, at + delta));
  return items[next]?.key ?? null;
}

/** After a decision: the next open item after `current`, wrapping round; null when none
 * is open. */
export function nextOpen(items: readonly QueueItem[], current: string | null): string | null {
  const at = items.findIndex((item) => item.key === current);
  const ordered = [...items.slice(at + 1), ...items.slice(0, Math.max(0, at + 1))];
  return ordered.find((item) => item.status === "OPEN" && item.key !== current)?.key ?? null;
}

export interface Counts {
  open: number;
  autoAccepted: number;
  resolved: number;
  total: number;
}

export function counts(items: readonly QueueItem[]): Counts {
  const open = items.filter((i) => i.status === "OPEN").length;
  const autoAccepted = items.filter((i) => i.status === "AUTO_ACCEPTED").length;
  const resolved = items.filter((i) => i.status === "RESOLVED").length;
  return { open, autoAccepted, resolved, total: items.length };
}

/** The codes and coders that occur in the items, for the filter's choices. */
export function present(items: readonly QueueItem[]): { codeIds: string[]; coderIds: string[] } {
  const codeIds = new Set<string>();
  const coderIds = new Set<string>();
  for (const item of items) {
    for (const s of item.segments) {
      codeIds.add(s.codeId);
      coderIds.add(s.coderId);
    }
  }
  return { codeIds: [...codeIds], coderIds: [...coderIds] };
}
