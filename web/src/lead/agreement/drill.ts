// The drill-down's place in the URL (code → document, optionally one coder pair), kept
// beside the agreement parameters so a drilled view can be shared as a link too.
import type { DisagreementFilterInput } from "../../lib/graphql/generated";
import type { AgreementParams } from "./params";

export interface Drill {
  /** A code's id, or ALL_CODES; null: not drilling. */
  code: string | null;
  document: string | null;
  /** Two coder ids. */
  pair: [string, string] | null;
}

export const ALL_CODES = "all";
const KEYS = { code: "drill", document: "doc", pair: "pair" } as const;

export function parseDrill(query: URLSearchParams): Drill {
  const pair = (query.get(KEYS.pair) ?? "").split(",").filter(Boolean);
  const code = query.get(KEYS.code) || null;
  return {
    code,
    document: code ? query.get(KEYS.document) || null : null,
    pair: code && pair.length === 2 ? [pair[0] as string, pair[1] as string] : null,
  };
}

/** A link to the same page with the drill-down changed and everything else kept. */
export function drillHref(current: URLSearchParams, drill: Drill): string {
  const query = new URLSearchParams(current);
  const set = (key: string, value: string | null) => (value ? query.set(key, value) : query.delete(key));
  set(KEYS.code, drill.code);
  set(KEYS.document, drill.code ? drill.document : null);
  set(KEYS.pair, drill.code && drill.pair ? drill.pair.join(",") : null);
  const text = query.toString();
  return text ? `?${text}` : "?";
}

/** The projectDisagreements filter for a drill-down under the dashboard's parameters. */
export function drillFilter(params: AgreementParams, drill: Drill): DisagreementFilterInput {
  return {
    roundId: params.roundId,
    documentIds: drill.document ? [drill.document] : params.documentIds,
    coderIds: drill.pair ?? params.coderIds,
    codeIds: params.codeIds,
    codeLevel: params.codeLevel,
    codeId: drill.code && drill.code !== ALL_CODES ? drill.code : null,
  };
}

export const KIND_WORDS: Record<string, { label: string; explain: string }> = {
  BOUNDARY_DIFFERENCE: {
    label: "Boundary difference",
    explain: "The same code, but the coders drew different extents.",
  },
  CODE_DIFFERENCE: {
    label: "Code difference",
    explain: "Every coder coded here, with different codes.",
  },
  OMISSION: { label: "Omission", explain: "Only some of the coders coded here." },
  EXACT_AGREEMENT: { label: "Exact agreement", explain: "Every coder coded the same." },
};
