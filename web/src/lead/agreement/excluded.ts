// What the agreement numbers leave out, and why, in sentences: from the parameters the
// lead chose, what the report echoes back, and the documents the drill-down excluded.

export interface Named {
  id: string;
  name: string;
}

export interface ExclusionInput {
  /** Every document of the project the page knows of. */
  documents: readonly Named[];
  /** The project's coders (members who code), by id. */
  coders: readonly Named[];
  /** Every codable code, by id. */
  codes: readonly Named[];
  /** What the lead asked for (null: everything). */
  chosen: { documentIds: string[] | null; coderIds: string[] | null; codeIds: string[] | null };
  /** The report's echo: the coders and documents (ids) it compared. */
  compared: { coderIds: readonly string[]; documentIds: readonly string[] };
  /** Documents the selection left out, with the reason (projectDisagreements.excluded). */
  excludedDocuments: readonly { documentId: string; title: string; reason: string }[];
  /** The report's counts (AgreementCounts). */
  counts: {
    segmentsNotCompared: number;
    segmentsMerged: number;
    unitsExcluded: number | null;
    unitsExclusionReason: string | null;
  };
  codeLevel: string;
}

export interface Exclusion {
  /** What kind of thing: documents, coders, codes, segments, units. */
  what: string;
  /** One sentence. */
  text: string;
  /** The names left out, when they can be listed. */
  names: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

export function exclusions(input: ExclusionInput): Exclusion[] {
  const out: Exclusion[] = [];
  const compared = new Set(input.compared.documentIds);
  const explained = new Set(input.excludedDocuments.map((d) => d.documentId));
  if (input.chosen.documentIds !== null) {
    const chosen = new Set(input.chosen.documentIds);
    const left = input.documents.filter((d) => !chosen.has(d.id) && !compared.has(d.id));
    if (left.length) {
      out.push({
        what: "documents",
        text: `${plural(left.length, "document")} not chosen in the parameters.`,
        names: left.map((d) => d.name),
      });
    }
  }
  for (const [reason, docs] of group(input.excludedDocuments, (d) => d.reason)) {
    out.push({
      what: "documents",
      text: `${plural(docs.length, "document")} left out: ${reason}.`,
      names: docs.map((d) => d.title),
    });
  }
  if (input.chosen.documentIds === null) {
    const silent = input.documents.filter((d) => !compared.has(d.id) && !explained.has(d.id));
    if (silent.length) {
      out.push({
        what: "documents",
        text: `${plural(silent.length, "document")} not compared: no coder is assigned to it in this round.`,
        names: silent.map((d) => d.name),
      });
    }
  }
  const comparedCoders = new Set(input.compared.coderIds);
  const chosenCoders = input.chosen.coderIds === null ? null : new Set(input.chosen.coderIds);
  const unchosen = input.coders.filter((c) => chosenCoders !== null && !chosenCoders.has(c.id));
  if (unchosen.length) {
    out.push({
      what: "coders",
      text: `${plural(unchosen.length, "coder")} not chosen in the parameters.`,
      names: unchosen.map((c) => c.name),
    });
  }
  const idle = input.coders.filter(
    (c) => (chosenCoders === null || chosenCoders.has(c.id)) && !comparedCoders.has(c.id),
  );
  if (idle.length) {
    out.push({
      what: "coders",
      text: `${plural(idle.length, "coder")} not compared: no assignment on these documents in this round.`,
      names: idle.map((c) => c.name),
    });
  }
  if (input.chosen.codeIds !== null) {
    const chosen = new Set(input.chosen.codeIds);
    const left = input.codes.filter((c) => !chosen.has(c.id));
    if (left.length) {
      out.push({
        what: "codes",
        text: `${plural(left.length, "code")} not chosen in the parameters: their segments are not counted.`,
        names: left.map((c) => c.name),
      });
    }
  }
  if (input.codeLevel !== "CODE") {
    out.push({
      what: "codes",
      text: `Codes are compared at the ${input.codeLevel === "GROUP" ? "group" : "category"} level: two codes of the same ${input.codeLevel === "GROUP" ? "group" : "category"} count as the same.`,
      names: [],
    });
  }
  const notCompared = input.counts.segmentsNotCompared;
  if (notCompared) {
    out.push({
      what: "segments",
      text: `${plural(notCompared, "coded segment")} not compared: made on a document that fewer than two of the compared coders were assigned.`,
      names: [],
    });
  }
  const merged = input.counts.segmentsMerged;
  if (merged) {
    out.push({
      what: "segments",
      text: `${plural(merged, "segment")} merged into another: one coder's overlapping segments of the same code count once.`,
      names: [],
    });
  }
  const units = input.counts.unitsExcluded ?? 0;
  if (units) {
    const reason = input.counts.unitsExclusionReason ?? "fewer than two coders gave a value";
    out.push({ what: "units", text: `${plural(units, "unit")} left out: ${reason}.`, names: [] });
  }
  return out;
}
