import { describe, expect, it } from "vitest";
import {
  assign,
  descendants,
  groupPreview,
  nextUnsorted,
  tally,
  unsorted,
  type PreviewCoding,
} from "./consolidation";

function c(id: string, doc: string, layer: string, coder: string | null): PreviewCoding {
  return {
    codingId: id,
    documentId: doc,
    document: `Interview ${doc}`,
    round: "Main",
    layer,
    coder: coder ? { name: coder } : null,
    effect: "RECODED",
    start: 0,
    end: 5,
    newStart: 0,
    newEnd: 5,
  };
}

describe("merge preview", () => {
  it("groups by document, round and layer in the given order", () => {
    const groups = groupPreview([
      c("1", "1", "CODER", "Ingrid"),
      c("2", "1", "CODER", "Ingrid"),
      c("3", "1", "CONSENSUS", null),
      c("4", "2", "CODER", "Lars"),
    ]);
    expect(groups.map((g) => [g.document, g.layer, g.codings.map((x) => x.codingId)])).toEqual([
      ["Interview 1", "Ingrid", ["1", "2"]],
      ["Interview 1", "Consensus", ["3"]],
      ["Interview 2", "Lars", ["4"]],
    ]);
  });
});

describe("sorting a split", () => {
  const codings = [{ id: "a" }, { id: "b" }, { id: "c" }];

  it("assigns, counts and finds what is left", () => {
    let s = assign({}, "a", 0);
    s = assign(s, "c", 1);
    s = assign(s, "a", 1);
    expect(tally(s, 2)).toEqual([0, 2]);
    expect(unsorted(codings, s).map((x) => x.id)).toEqual(["b"]);
    expect(nextUnsorted(codings, s, "c")).toBe("b");
    expect(nextUnsorted(codings, assign(s, "b", 0), "b")).toBeNull();
  });

  it("knows a code's descendants, which cannot become its parent", () => {
    const codes = [
      { id: "cat", parentId: null },
      { id: "grp", parentId: "cat" },
      { id: "leaf", parentId: "grp" },
      { id: "other", parentId: null },
    ];
    expect([...descendants(codes, "cat")].sort()).toEqual(["grp", "leaf"]);
    expect(descendants(codes, "leaf").size).toBe(0);
  });
});
