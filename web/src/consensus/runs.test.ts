import { describe, expect, it } from "vitest";
import { around, CodePoints, describeDifferences, runs, type Lane } from "./runs";

describe("code points", () => {
  it("counts characters outside the BMP once, as the API does", () => {
    const text = new CodePoints("Jeg 😊 ringte Åse 👩‍⚕️.");
    expect(text.length).toBe([..."Jeg 😊 ringte Åse 👩‍⚕️."].length);
    expect(text.slice(4, 5)).toBe("😊");
    expect(text.slice(6, 12)).toBe("ringte");
    expect(text.utf16(6)).toBe(7);
    expect(text.codePoint(7)).toBe(6);
    expect(text.codePoint(5)).toBe(4); // inside the emoji: its start
    const plain = new CodePoints("plain æøå");
    expect(plain.slice(6, 9)).toBe("æøå");
  });
});

describe("runs", () => {
  const text = new CodePoints("I slept properly for the first time 😊 in a long while.");
  const lanes: Lane[] = [
    { key: "ingrid", label: "Ingrid", segments: [{ codeId: "relief", start: 2, end: 16 }] },
    {
      key: "lars",
      label: "Lars",
      segments: [
        { codeId: "relief", start: 2, end: 35 },
        { codeId: "sleep", start: 9, end: 16 },
      ],
    },
    { key: "consensus", label: "Consensus", segments: [{ codeId: "relief", start: 2, end: 16 }] },
  ];

  it("cuts at every boundary and marks where the coders differ", () => {
    const found = runs(text, 0, 38, lanes, 2);
    expect(found.map((r) => [r.start, r.end, r.differs])).toEqual([
      [0, 2, false],
      [2, 9, false],
      [9, 16, true],
      [16, 35, true],
      [35, 38, false],
    ]);
    expect(found[2]?.text).toBe("roperly");
    expect(found[2]?.cover).toEqual([["relief"], ["relief", "sleep"], ["relief"]]);
    expect(found[3]?.cover).toEqual([[], ["relief"], []]);
    expect(found[4]?.text).toBe(" 😊 ");
  });

  it("describes the differences in words", () => {
    const found = runs(text, 0, 38, lanes, 2);
    const names: Record<string, string> = { relief: "Relief", sleep: "Sleep" };
    expect(describeDifferences(found, lanes, 2, (id) => names[id] ?? id)).toEqual([
      "“roperly” (9–16): Ingrid: Relief; Lars: Relief, Sleep",
      `“${text.slice(16, 35)}” (16–35): Ingrid: nothing; Lars: Relief`,
    ]);
  });

  it("widens a window to whole words", () => {
    const long = new CodePoints("alpha beta gamma delta epsilon zeta eta theta");
    const [from, to] = around(long, 17, 22, 8);
    expect(long.slice(from, to)).toBe("beta gamma delta epsilon");
    expect(around(long, 0, 5, 3)).toEqual([0, 10]);
  });
});
