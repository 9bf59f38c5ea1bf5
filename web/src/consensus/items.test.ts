import { describe, expect, it } from "vitest";
import { counts, filterItems, nextOpen, NO_FILTER, present, step, type QueueItem } from "./items";

function item(key: string, over: Partial<QueueItem> = {}): QueueItem {
  return {
    id: key,
    key,
    kind: "BOUNDARY_DIFFERENCE",
    status: "OPEN",
    start: 0,
    end: 10,
    version: 1,
    segments: [
      { codingId: `${key}a`, coderId: "ingrid", codeId: "relief", start: 0, end: 10, text: "" },
    ],
    ...over,
  };
}

const items = [
  item("a", { status: "AUTO_ACCEPTED", kind: "EXACT_AGREEMENT" }),
  item("b"),
  item("c", {
    kind: "CODE_DIFFERENCE",
    segments: [
      { codingId: "c1", coderId: "lars", codeId: "stigma", start: 0, end: 5, text: "" },
      { codingId: "c2", coderId: "ingrid", codeId: "relief", start: 0, end: 5, text: "" },
    ],
  }),
  item("d", { status: "RESOLVED", kind: "OMISSION" }),
  item("e"),
];

describe("the queue", () => {
  it("filters by kind, status, code and coder together", () => {
    expect(filterItems(items, NO_FILTER).map((i) => i.key)).toEqual(["a", "b", "c", "d", "e"]);
    expect(filterItems(items, { ...NO_FILTER, status: "OPEN" }).map((i) => i.key)).toEqual([
      "b",
      "c",
      "e",
    ]);
    expect(filterItems(items, { ...NO_FILTER, codeId: "stigma" }).map((i) => i.key)).toEqual(["c"]);
    expect(filterItems(items, { ...NO_FILTER, coderId: "lars" }).map((i) => i.key)).toEqual(["c"]);
    expect(
      filterItems(items, { ...NO_FILTER, kind: "OMISSION", status: "OPEN" }).map((i) => i.key),
    ).toEqual([]);
  });

  it("moves with J and K, stopping at the ends", () => {
    expect(step(items, null, 1)).toBe("a");
    expect(step(items, null, -1)).toBe("e");
    expect(step(items, "a", 1)).toBe("b");
    expect(step(items, "a", -1)).toBe("a");
    expect(step(items, "e", 1)).toBe("e");
    expect(step([], "e", 1)).toBeNull();
  });

  it("goes on to the next open item after a decision, wrapping round", () => {
    expect(nextOpen(items, "b")).toBe("c");
    expect(nextOpen(items, "c")).toBe("e");
    expect(nextOpen(items, "e")).toBe("b");
    expect(nextOpen(items.map((i) => ({ ...i, status: "RESOLVED" as const })), "b")).toBeNull();
    expect(nextOpen(items, null)).toBe("b");
  });

  it("counts by status and lists the codes and coders present", () => {
    expect(counts(items)).toEqual({ open: 3, autoAccepted: 1, resolved: 1, total: 5 });
    const found = present(items);
    expect(found.codeIds.sort()).toEqual(["relief", "stigma"]);
    expect(found.coderIds.sort()).toEqual(["ingrid", "lars"]);
  });
});
