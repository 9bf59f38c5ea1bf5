// Codebook consolidation as plain data: a merge preview grouped for reading, and the
// sorting of a code's codings into the codes of a split.

export interface PreviewCoding {
  codingId: string;
  documentId: string;
  document: string;
  round: string;
  layer: string;
  coder: { name: string } | null;
  effect: "RECODED" | "ABSORBED" | "EXTENDED";
  start: number;
  end: number;
  newStart: number;
  newEnd: number;
}

export interface PreviewGroup<T extends PreviewCoding> {
  key: string;
  document: string;
  round: string;
  /** "Ingrid Solberg" or "Consensus". */
  layer: string;
  codings: T[];
}

/** The preview's codings by document, round and layer, in the order the API gave them. */
export function groupPreview<T extends PreviewCoding>(codings: readonly T[]): PreviewGroup<T>[] {
  const groups = new Map<string, PreviewGroup<T>>();
  for (const c of codings) {
    const layer = c.layer === "CONSENSUS" ? "Consensus" : (c.coder?.name ?? "A coder");
    const key = `${c.documentId}|${c.round}|${layer}`;
    const group = groups.get(key) ?? { key, document: c.document, round: c.round, layer, codings: [] };
    group.codings.push(c);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export const EFFECT_WORDS: Record<PreviewCoding["effect"], string> = {
  RECODED: "recoded",
  ABSORBED: "joined into an overlapping segment",
  EXTENDED: "grows to take in recoded segments",
};

/** Which code of the split each coding goes to (its index in `into`). */
export type Sorting = Record<string, number>;

export function assign(sorting: Sorting, codingId: string, index: number): Sorting {
  return { ...sorting, [codingId]: index };
}

/** The codings not yet sorted, in the order given. */
export function unsorted<T extends { id: string }>(codings: readonly T[], sorting: Sorting): T[] {
  return codings.filter((c) => sorting[c.id] === undefined);
}

/** The next coding after `current` that is not sorted yet (wrapping), else null. */
export function nextUnsorted<T extends { id: string }>(
  codings: readonly T[],
  sorting: Sorting,
  current: string | null,
): string | null {
  const at = codings.findIndex((c) => c.id === current);
  const ordered = [...codings.slice(at + 1), ...codings.slice(0, at + 1)];
  return ordered.find((c) => sorting[c.id] === undefined && c.id !== current)?.id ?? null;
}

/** How many codings go to each target. */
export function tally(sorting: Sorting, targets: number): number[] {
  const out = Array.from({ length: targets }, () => 0);
  for (const index of Object.values(sorting)) if (index < targets) out[index] = (out[index] ?? 0) + 1;
  return out;
}

/** The codes under `id` (its descendants), which cannot become its parent. */
export function descendants(
  codes: readonly { id: string; parentId: string | null }[],
  id: string,
): Set<string> {
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of codes) {
      if (c.parentId && (c.parentId === id || found.has(c.parentId)) && !found.has(c.id)) {
        found.add(c.id);
        grew = true;
      }
    }
  }
  return found;
}

/** The edits of one code that take a rationale. */
export type Edit = "rename" | "move" | "retire";
