import { describe, expect, it } from "vitest";
import type { QueueItem } from "./items";
import { choiceForKey, fuse, intersect, preview, ResolutionRefused, resolutionInput } from "./resolution";

const item: QueueItem = {
  id: "i",
  key: "k",
  kind: "CODE_DIFFERENCE",
  status: "OPEN",
  start: 10,
  end: 40,
  version: 3,
  segments: [
    { codingId: "1", coderId: "ingrid", codeId: "relief", start: 10, end: 30, text: "" },
    { codingId: "2", coderId: "lars", codeId: "relief", start: 20, end: 40, text: "" },
    { codingId: "3", coderId: "lars", codeId: "stigma", start: 12, end: 18, text: "" },
  ],
};

describe("choices and their preview", () => {
  it("maps the keys of the brief", () => {
    const coders = ["ingrid", "lars"];
    expect(choiceForKey("1", coders)).toEqual({ action: "TAKE_CODER", coderId: "ingrid" });
    expect(choiceForKey("2", coders)).toEqual({ action: "TAKE_CODER", coderId: "lars" });
    expect(choiceForKey("3", coders)).toBeNull();
    expect(choiceForKey("U", coders)).toEqual({ action: "UNION" });
    expect(choiceForKey("i", coders)).toEqual({ action: "INTERSECTION" });
    expect(choiceForKey("c", coders)).toEqual({ action: "CUSTOM" });
    expect(choiceForKey("d", coders)).toEqual({ action: "DROP" });
    expect(choiceForKey("x", coders)).toBeNull();
  });

  it("fuses shared code points but keeps touching spans apart, as the server does", () => {
    expect(fuse([[5, 9], [0, 5], [8, 12]])).toEqual([[0, 5], [5, 12]]);
    expect(intersect([[0, 10], [20, 30]], [[5, 25]])).toEqual([[5, 10], [20, 25]]);
  });

  it("previews every action per code", () => {
    expect(preview(item, { action: "TAKE_CODER", coderId: "lars" }, 100)).toEqual([
      { codeId: "stigma", start: 12, end: 18 },
      { codeId: "relief", start: 20, end: 40 },
    ]);
    expect(preview(item, { action: "UNION" }, 100)).toEqual([
      { codeId: "relief", start: 10, end: 40 },
      { codeId: "stigma", start: 12, end: 18 },
    ]);
    // a code only one coder used stays as that coder marked it
    expect(preview(item, { action: "INTERSECTION" }, 100)).toEqual([
      { codeId: "stigma", start: 12, end: 18 },
      { codeId: "relief", start: 20, end: 30 },
    ]);
    expect(preview(item, { action: "DROP" }, 100)).toEqual([]);
    const custom = { action: "CUSTOM" as const, start: 11, end: 35, codeIds: ["relief"] };
    expect(preview(item, custom, 100)).toEqual([{ codeId: "relief", start: 11, end: 35 }]);
  });

  it("refuses what the server refuses", () => {
    const apart: QueueItem = {
      ...item,
      segments: [
        { codingId: "1", coderId: "ingrid", codeId: "relief", start: 0, end: 5, text: "" },
        { codingId: "2", coderId: "lars", codeId: "relief", start: 5, end: 9, text: "" },
      ],
    };
    expect(() => preview(apart, { action: "INTERSECTION" }, 100)).toThrow(ResolutionRefused);
    const custom = { action: "CUSTOM" as const, codeIds: ["relief"] };
    expect(() => preview(item, { ...custom, start: 50, end: 60 }, 100)).toThrow(/overlap the item/);
    expect(() => preview(item, { ...custom, start: 30, end: 120 }, 100)).toThrow(/inside/);
    expect(() => preview(item, { ...custom, start: 20, end: 20 }, 100)).toThrow(/before its end/);
    expect(() => preview(item, { action: "CUSTOM", start: 10, end: 20 }, 100)).toThrow(/code/);
  });

  it("builds the API's input", () => {
    expect(resolutionInput({ action: "TAKE_CODER", coderId: "lars" })).toEqual({
      action: "TAKE_CODER",
      coderId: "lars",
    });
    expect(resolutionInput({ action: "UNION" })).toEqual({ action: "UNION" });
    expect(resolutionInput({ action: "CUSTOM", start: 1, end: 4, codeIds: ["x"] })).toEqual({
      action: "CUSTOM",
      start: 1,
      end: 4,
      codeIds: ["x"],
    });
  });
});
