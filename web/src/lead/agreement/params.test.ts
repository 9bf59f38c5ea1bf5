import { describe, expect, it } from "vitest";
import { DEFAULTS, parseParams, toInput, toQuery } from "./params";

describe("agreement parameters in the URL", () => {
  it("round-trips every parameter", () => {
    const params = {
      ...DEFAULTS,
      unitMode: "UNITS" as const,
      unitKind: "SPEAKER_TURN" as const,
      minCoverage: 0.5,
      overlapPercent: 80,
      roundId: "r1",
      codeLevel: "GROUP" as const,
      coderIds: ["a", "b"],
      documentIds: ["d1"],
      codeIds: ["c1", "c2"],
      resamples: 2000,
      seed: 42,
    };
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(toQuery(params))) if (v !== null) query.set(k, v);
    expect(parseParams(query)).toEqual(params);
  });

  it("leaves defaults out of the link", () => {
    expect(Object.values(toQuery(DEFAULTS)).every((v) => v === null)).toBe(true);
  });

  it("falls back to defaults on malformed values", () => {
    const parsed = parseParams(new URLSearchParams("mode=SHOUTING&coverage=7&overlap=-1&bootstrap=5&level=X"));
    expect(parsed).toEqual({ ...DEFAULTS, resamples: 1000 });
  });

  it("gives the API the same parameters, with the bootstrap only when asked", () => {
    expect(toInput(DEFAULTS).bootstrap).toBeNull();
    expect(toInput({ ...DEFAULTS, resamples: 500, seed: 7 }).bootstrap).toEqual({ resamples: 500, seed: 7 });
  });
});
