import { describe, expect, it } from "vitest";
import { History, Layer, applySteps, changeSteps, deleteSteps, overlay, reverse, stepToChange } from "./layer";

const coding = (lid: string, start: number, end: number, codeId = "c1", memo = "") => ({ lid, start, end, codeId, memo });

describe("the coder's layer", () => {
  it("adds a new coding, or stretches the coder's own coding of the same code", () => {
    const layer = new Layer([coding("a", 0, 10), coding("b", 20, 30), coding("x", 5, 25, "c2")]);
    const fresh = applySteps(layer, "c3", 5, 8);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.before).toBeNull();
    const joined = applySteps(layer, "c1", 8, 22, "note");
    expect(joined.map((s) => [s.lid, s.after?.start, s.after?.end])).toEqual([
      ["a", 0, 30],
      ["b", undefined, undefined],
    ]);
    expect(joined[0]?.after?.memo).toBe("note");
    layer.apply(joined);
    expect(layer.sorted().map((c) => c.lid)).toEqual(["a", "x"]);
  });

  it("turns steps into the queue's changes", () => {
    const layer = new Layer([coding("a", 0, 10)]);
    const [add] = applySteps(layer, "c2", 1, 2);
    expect(stepToChange(add!, "d", null)).toMatchObject({ kind: "apply", codeId: "c2", start: 1, end: 2, memo: null });
    const [resize] = changeSteps(layer, "a", { end: 12 });
    expect(stepToChange(resize!, "d", null)).toEqual({ kind: "update", lid: "a", changes: { end: 12 } });
    const [gone] = deleteSteps(layer, "a");
    expect(stepToChange(gone!, "d", null)).toEqual({ kind: "delete", lid: "a" });
    expect(changeSteps(layer, "a", { end: 10 })).toEqual([]);
    expect(changeSteps(layer, "a", { start: 10 })).toEqual([]);
  });

  it("undoes and redoes", () => {
    const layer = new Layer([coding("a", 0, 10)]);
    const history = new History();
    const steps = deleteSteps(layer, "a");
    layer.apply(steps);
    history.record({ label: "Deleted", steps });
    const undo = history.undo();
    layer.apply(undo!.steps);
    expect(layer.get("a")).toEqual(coding("a", 0, 10));
    const redo = history.redo();
    layer.apply(redo!.steps);
    expect(layer.get("a")).toBeUndefined();
    expect(history.redo()).toBeNull();
    expect(reverse(reverse(steps))).toEqual(steps);
  });

  it("lays waiting changes over the server's codings", () => {
    const server = [coding("s1", 0, 10), coding("s2", 20, 30)];
    const layer = overlay(server, [
      { kind: "apply", lid: "local:1", documentId: "d", codeId: "c9", start: 3, end: 4, memo: null, roundId: null },
      { kind: "update", lid: "s1", changes: { end: 12 } },
      { kind: "delete", lid: "s2" },
      { kind: "update", lid: "gone", changes: { end: 1 } },
    ]);
    expect(layer.sorted().map((c) => [c.lid, c.start, c.end])).toEqual([
      ["s1", 0, 12],
      ["local:1", 3, 4],
    ]);
  });

  it("names a server coding by its local id once the queue has saved it", () => {
    const layer = overlay([coding("s7", 0, 5)], [], (id) => (id === "s7" ? "local:7" : id));
    expect(layer.get("local:7")?.start).toBe(0);
  });
});
