import { describe, expect, it } from "vitest";
import { ALL_CODES, drillFilter, drillHref, parseDrill } from "./drill";
import { DEFAULTS } from "./params";

describe("the drill-down in the URL", () => {
  it("keeps the agreement parameters when drilling", () => {
    const current = new URLSearchParams("mode=UNITS&level=GROUP");
    const href = drillHref(current, { code: "c1", document: "d1", pair: null });
    expect(href).toBe("?mode=UNITS&level=GROUP&drill=c1&doc=d1");
    expect(parseDrill(new URLSearchParams(href.slice(1)))).toEqual({ code: "c1", document: "d1", pair: null });
  });

  it("drops the document and pair when the drill-down closes", () => {
    const current = new URLSearchParams("drill=c1&doc=d1&pair=a,b");
    expect(drillHref(current, { code: null, document: "d1", pair: ["a", "b"] })).toBe("?");
    expect(parseDrill(new URLSearchParams("doc=d1&pair=a,b"))).toEqual({ code: null, document: null, pair: null });
  });

  it("narrows the agreement's selection, never widens it", () => {
    const params = { ...DEFAULTS, codeIds: ["k"], coderIds: ["a", "b", "c"], codeLevel: "GROUP" as const };
    expect(drillFilter(params, { code: ALL_CODES, document: "d1", pair: ["a", "b"] })).toEqual({
      roundId: null,
      documentIds: ["d1"],
      coderIds: ["a", "b"],
      codeIds: ["k"],
      codeLevel: "GROUP",
      codeId: null,
    });
    expect(drillFilter(params, { code: "k", document: null, pair: null }).codeId).toBe("k");
  });
});
