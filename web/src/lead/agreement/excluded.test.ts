import { describe, expect, it } from "vitest";
import { type ExclusionInput, exclusions } from "./excluded";

const base: ExclusionInput = {
  documents: [
    { id: "d1", name: "P01" },
    { id: "d2", name: "P02" },
    { id: "d3", name: "P03" },
    { id: "d4", name: "P04" },
  ],
  coders: [
    { id: "b", name: "Berit" },
    { id: "c", name: "Cato" },
    { id: "d", name: "Dina" },
  ],
  codes: [
    { id: "k1", name: "Help" },
    { id: "k2", name: "Phone" },
  ],
  chosen: { documentIds: null, coderIds: null, codeIds: null },
  compared: { coderIds: ["b", "c"], documentIds: ["d1", "d2"] },
  excludedDocuments: [{ documentId: "d3", title: "P03", reason: "fewer than two of the compared coders are assigned to it in this round" }],
  counts: { segmentsNotCompared: 2, segmentsMerged: 0, unitsExcluded: null, unitsExclusionReason: null },
  codeLevel: "CODE",
};

describe("exclusions", () => {
  it("names every document, coder and segment left out, with the reason", () => {
    const texts = exclusions(base).map((e) => [e.text, e.names]);
    expect(texts).toEqual([
      ["1 document left out: fewer than two of the compared coders are assigned to it in this round.", ["P03"]],
      ["1 document not compared: no coder is assigned to it in this round.", ["P04"]],
      ["1 coder not compared: no assignment on these documents in this round.", ["Dina"]],
      ["2 coded segments not compared: made on a document that fewer than two of the compared coders were assigned.", []],
    ]);
  });

  it("says what the lead's own choices left out", () => {
    const found = exclusions({
      ...base,
      chosen: { documentIds: ["d1", "d2"], coderIds: ["b", "c"], codeIds: ["k2"] },
      excludedDocuments: [],
      counts: { segmentsNotCompared: 0, segmentsMerged: 0, unitsExcluded: 3, unitsExclusionReason: "fewer than two coders coded the unit" },
      codeLevel: "GROUP",
    });
    expect(found.map((e) => e.text)).toEqual([
      "2 documents not chosen in the parameters.",
      "1 coder not chosen in the parameters.",
      "1 code not chosen in the parameters: their segments are not counted.",
      "Codes are compared at the group level: two codes of the same group count as the same.",
      "3 units left out: fewer than two coders coded the unit.",
    ]);
    expect(found[0]?.names).toEqual(["P03", "P04"]);
  });

  it("is empty when nothing was left out", () => {
    expect(
      exclusions({
        ...base,
        documents: base.documents.slice(0, 2),
        coders: base.coders.slice(0, 2),
        excludedDocuments: [],
        counts: { segmentsNotCompared: 0, segmentsMerged: 0, unitsExcluded: null, unitsExclusionReason: null },
      }),
    ).toEqual([]);
  });
});
