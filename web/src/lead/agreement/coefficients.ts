// Coefficients in words: their names, their values, and what a verdict means.

/** A coefficient as the API gives it (AgreementReport's CoefficientValue). */
export interface Coefficient {
  name: string;
  value: number | null;
  undefinedReason: string | null;
  ciLow: number | null;
  ciHigh: number | null;
  qBelowMin: number | null;
  /** Null where no published threshold applies: only Krippendorff's α family gets one. */
  verdict: string | null;
}

/** A breakdown (per code, document, round or coder pair). */
export interface Breakdown {
  key: string;
  label: string;
  segmentCount: number;
  codeId?: string | null;
  coefficients: readonly Coefficient[];
}

/** Below this, agreement is not reliable at all (Krippendorff 2004). */
export const TENTATIVE = 0.667;

/** The API's coefficient names (the CoefficientName enum) in words. */
export const NAMES: Record<string, string> = {
  U_ALPHA: "Krippendorff's uα (2016)",
  BINARY_U_ALPHA: "Krippendorff's binary uα (2016)",
  CU_ALPHA: "Krippendorff's cuα (2016)",
  CU_ALPHA_ACROSS_GROUPS: "Krippendorff's Cuα across groups (2016)",
  UNITIZING_ALPHA_2004: "Krippendorff's unitizing αU (2004)",
  K_U_ALPHA: "Krippendorff's (k)uα (2016)",
  UNITS_MASI_ALPHA: "Krippendorff's α with the MASI distance",
  KRIPPENDORFF_ALPHA: "Krippendorff's α",
  PERCENT_AGREEMENT: "Percent agreement",
  BRENNAN_PREDIGER: "Brennan–Prediger κ",
  COHEN_KAPPA: "Cohen's κ",
  SCOTT_PI: "Scott's π",
  FLEISS_KAPPA: "Fleiss' κ",
  CONGER_KAPPA: "Conger's κ",
  GWET_AC1: "Gwet's AC1",
  GWET_AC2: "Gwet's AC2",
};

export const VERDICT_LABELS: Record<string, string> = {
  RELIABLE: "Reliable",
  TENTATIVE: "Tentative",
  NOT_RELIABLE: "Not reliable",
  UNDEFINED: "Undefined",
};

/** A verdict in words; null means the coefficient has no published threshold. */
export function verdictLabel(verdict: string | null): string {
  return verdict === null ? "No verdict" : (VERDICT_LABELS[verdict] ?? verdict);
}

export function coefficientName(key: string): string {
  return NAMES[key] ?? key;
}

export function formatValue(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits);
}

export function formatCi(c: Pick<Coefficient, "ciLow" | "ciHigh">): string {
  return c.ciLow === null || c.ciHigh === null
    ? "—"
    : `${formatValue(c.ciLow)} to ${formatValue(c.ciHigh)}`;
}

export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  const percent = share * 100;
  return percent > 0 && percent < 1 ? "under 1%" : `${Math.round(percent)}%`;
}

/** The coefficient a chart of breakdowns shows: an α where the mode has one. */
export function chartKey(items: readonly Breakdown[], headline?: string): string | null {
  const keys = new Set(items.flatMap((b) => b.coefficients.map((c) => c.name)));
  for (const preferred of [headline, "UNITIZING_ALPHA_2004", "KRIPPENDORFF_ALPHA", "K_U_ALPHA"]) {
    if (preferred && keys.has(preferred)) return preferred;
  }
  return keys.values().next().value ?? null;
}

export function coefficientOf(b: Breakdown, key: string | null): Coefficient | null {
  return key === null ? null : (b.coefficients.find((c) => c.name === key) ?? null);
}

/** Breakdowns worst first by `key`; undefined values last, each group by label. */
export function worstFirst<B extends Breakdown>(items: readonly B[], key: string | null): B[] {
  const value = (b: B) => coefficientOf(b, key)?.value ?? null;
  return [...items].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
      return a.label.localeCompare(b.label);
    }
    return va - vb || a.label.localeCompare(b.label);
  });
}

/** What the verdict means, in words a research team can act on. */
export function verdictInWords(c: Coefficient | null, alphaMin: number): string {
  if (c === null || c.value === null) {
    const why = c?.undefinedReason ? `: ${c.undefinedReason}` : "";
    return (
      `The headline coefficient is undefined${why}. Accord shows no number rather than a ` +
      "misleading one; check the parameters, or code more of the documents."
    );
  }
  const name = coefficientName(c.name);
  const value = formatValue(c.value);
  const min = formatValue(alphaMin);
  let sentence: string;
  if (c.verdict === null) {
    sentence =
      `${name} is ${value}. No published reliability threshold applies to it, so Accord ` +
      "gives no verdict: Krippendorff's thresholds are for α.";
  } else if (c.value >= alphaMin) {
    sentence =
      `${name} is ${value}, at or above the project's threshold α_min = ${min}: by ` +
      "Krippendorff's standard the coders agree well enough to rely on this coding.";
  } else if (c.value >= TENTATIVE) {
    sentence =
      `${name} is ${value}, below α_min = ${min} but at least ${TENTATIVE.toFixed(3)}: ` +
      "conclusions drawn from this coding are tentative. Discuss the codes that agree " +
      "least and consider another calibration round.";
  } else {
    sentence =
      `${name} is ${value}, below ${TENTATIVE.toFixed(3)}: the coders do not agree well ` +
      "enough to rely on this coding. Look at the worst codes below, sharpen their " +
      "definitions, and code a calibration round again.";
  }
  if (c.ciLow !== null && c.ciHigh !== null) {
    sentence += ` The 95% confidence interval runs from ${formatValue(c.ciLow)} to ${formatValue(c.ciHigh)}`;
    sentence +=
      c.qBelowMin !== null
        ? `, and the chance that the true value is below α_min is ${formatShare(c.qBelowMin)}.`
        : ".";
  } else {
    sentence += " Run a bootstrap for a confidence interval.";
  }
  return sentence;
}
