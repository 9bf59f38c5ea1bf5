// The agreement dashboard's parameters: read from and written to the query string, so a
// view can be shared as a link, and turned into the API's AgreementInput. Every
// parameter has a sentence that says what it does.
import type { AgreementInput, CodeLevel, UnitKind, UnitMode } from "../../lib/graphql/generated";

export interface AgreementParams {
  unitMode: UnitMode;
  unitKind: UnitKind;
  /** Share of a unit (0–1) a segment must cover; 0: any overlap. UNITS only. */
  minCoverage: number;
  /** Percent two segments must overlap to match. SEGMENT_MATCH only. */
  overlapPercent: number;
  /** null: the project's default round. */
  roundId: string | null;
  codeLevel: CodeLevel;
  /** null: everyone assigned in the round. */
  coderIds: string[] | null;
  /** null: every document the caller may compare. */
  documentIds: string[] | null;
  /** null: every code. */
  codeIds: string[] | null;
  /** Bootstrap resamples; null: no bootstrap (no confidence intervals). */
  resamples: number | null;
  seed: number;
}

export const UNIT_MODES: readonly UnitMode[] = ["CONTINUUM", "UNITS", "SEGMENT_MATCH", "CHARACTER"];
export const UNIT_KINDS: readonly UnitKind[] = ["PARAGRAPH", "SPEAKER_TURN", "SENTENCE"];
export const CODE_LEVELS: readonly CodeLevel[] = ["CODE", "GROUP", "CATEGORY"];

export const DEFAULTS: AgreementParams = {
  unitMode: "CONTINUUM",
  unitKind: "PARAGRAPH",
  minCoverage: 0,
  overlapPercent: 90,
  roundId: null,
  codeLevel: "CODE",
  coderIds: null,
  documentIds: null,
  codeIds: null,
  resamples: null,
  seed: 0,
};

/** Query-string keys, one per parameter. */
const KEYS = {
  unitMode: "mode",
  unitKind: "unit",
  minCoverage: "coverage",
  overlapPercent: "overlap",
  roundId: "round",
  codeLevel: "level",
  coderIds: "coders",
  documentIds: "documents",
  codeIds: "codes",
  resamples: "bootstrap",
  seed: "seed",
} as const satisfies Record<keyof AgreementParams, string>;

export const PARAM_KEYS: readonly string[] = Object.values(KEYS);

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function number(value: string | null, min: number, max: number, fallback: number): number {
  if (value === null || value.trim() === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
}

function list(value: string | null): string[] | null {
  if (value === null) return null;
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  return items.length ? [...new Set(items)] : null;
}

/** The parameters a link carries; anything missing or malformed takes its default. */
export function parseParams(query: URLSearchParams): AgreementParams {
  const resamples = query.get(KEYS.resamples);
  return {
    unitMode: oneOf(query.get(KEYS.unitMode), UNIT_MODES, DEFAULTS.unitMode),
    unitKind: oneOf(query.get(KEYS.unitKind), UNIT_KINDS, DEFAULTS.unitKind),
    minCoverage: number(query.get(KEYS.minCoverage), 0, 1, DEFAULTS.minCoverage),
    overlapPercent: number(query.get(KEYS.overlapPercent), 0.01, 100, DEFAULTS.overlapPercent),
    roundId: query.get(KEYS.roundId) || null,
    codeLevel: oneOf(query.get(KEYS.codeLevel), CODE_LEVELS, DEFAULTS.codeLevel),
    coderIds: list(query.get(KEYS.coderIds)),
    documentIds: list(query.get(KEYS.documentIds)),
    codeIds: list(query.get(KEYS.codeIds)),
    resamples:
      resamples === null ? null : Math.round(number(resamples, 100, 100_000, 1000)),
    seed: Math.round(number(query.get(KEYS.seed), 0, 2 ** 31 - 1, DEFAULTS.seed)),
  };
}

/** The query-string changes for `params`: defaults are left out, so links stay short. */
export function toQuery(params: AgreementParams): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const put = (key: keyof AgreementParams, value: string | null, isDefault: boolean) => {
    out[KEYS[key]] = isDefault ? null : value;
  };
  put("unitMode", params.unitMode, params.unitMode === DEFAULTS.unitMode);
  const units = params.unitMode === "UNITS";
  put("unitKind", params.unitKind, !units || params.unitKind === DEFAULTS.unitKind);
  put("minCoverage", String(params.minCoverage), !units || params.minCoverage === 0);
  put(
    "overlapPercent",
    String(params.overlapPercent),
    params.overlapPercent === DEFAULTS.overlapPercent,
  );
  put("roundId", params.roundId, params.roundId === null);
  put("codeLevel", params.codeLevel, params.codeLevel === DEFAULTS.codeLevel);
  put("coderIds", params.coderIds?.join(",") ?? null, params.coderIds === null);
  put("documentIds", params.documentIds?.join(",") ?? null, params.documentIds === null);
  put("codeIds", params.codeIds?.join(",") ?? null, params.codeIds === null);
  put("resamples", String(params.resamples), params.resamples === null);
  put("seed", String(params.seed), params.resamples === null || params.seed === 0);
  return out;
}

/** The API's input for the same parameters. */
export function toInput(params: AgreementParams): AgreementInput {
  return {
    unitMode: params.unitMode,
    unitKind: params.unitKind,
    minCoverage: params.minCoverage,
    overlapPercent: params.overlapPercent,
    roundId: params.roundId,
    codeLevel: params.codeLevel,
    coderIds: params.coderIds,
    documentIds: params.documentIds,
    codeIds: params.codeIds,
    bootstrap: params.resamples === null ? null : { resamples: params.resamples, seed: params.seed },
  };
}

export const MODE_LABELS: Record<UnitMode, string> = {
  CONTINUUM: "Continuum (coded character ranges)",
  UNITS: "Predefined units",
  SEGMENT_MATCH: "Segment matching",
  CHARACTER: "Character by character",
};

export const KIND_LABELS: Record<UnitKind, string> = {
  PARAGRAPH: "Paragraphs",
  SPEAKER_TURN: "Speaker turns",
  SENTENCE: "Sentences",
};

export const LEVEL_LABELS: Record<CodeLevel, string> = {
  CODE: "Codes",
  GROUP: "Groups (second level)",
  CATEGORY: "Categories (top level)",
};

/** One sentence per parameter, shown beside its control. */
export const EXPLAIN = {
  unitMode: {
    CONTINUUM:
      "Compares the coded stretches of text themselves, where each coder's segments start " +
      "and end and which code they carry (Krippendorff's unitizing α family); no units needed.",
    UNITS:
      "Splits each document into paragraphs, speaker turns or sentences and asks, per unit, " +
      "whether each coder applied each code (α, κ, π, AC1; MASI α overall).",
    SEGMENT_MATCH:
      "Counts two coders' segments of the same code as matching when they overlap by at " +
      "least the share below, as MAXQDA does.",
    CHARACTER:
      "Treats every character as a unit, coded or not, per code, as NVivo's coding " +
      "comparison does (percent agreement and Cohen's κ).",
  } satisfies Record<UnitMode, string>,
  unitKind: "Which predefined units a document is split into.",
  minCoverage:
    "How much of a unit a segment must cover for the code to count as present there; 0 " +
    "means any overlap.",
  overlapPercent: "How much two segments must overlap, in percent, to count as a match.",
  roundId: "Agreement is reported per coding round, so training progress shows.",
  codeLevel:
    "Compare codes as they are, or count every code as its group or category, to see " +
    "agreement on the broader themes.",
  coderIds: "Whose layers to compare; everyone assigned in the round unless you choose.",
  documentIds: "Which documents to compare; every document you may compare unless you choose.",
  codeIds: "Which codes' segments to include; every code unless you choose.",
  resamples:
    "A bootstrap (Hayes & Krippendorff 2007) gives 95% confidence intervals and the chance " +
    "that α is below α_min; more resamples take longer.",
  seed: "The bootstrap's random seed: the same seed gives the same intervals again.",
};
