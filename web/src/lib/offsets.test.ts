import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  block,
  blockToDocument,
  codePointStarts,
  documentToBlock,
  offsetMap,
  sliceCodePoints,
  snapToGraphemes,
  snapToWords,
  stepGrapheme,
  stepWord,
  toCodePoint,
  toUtf16,
} from "./offsets";

interface Case {
  why: string;
  selection16: [number, number];
  utf16: [number, number];
  codePoints: [number, number];
  covers: string;
}
interface Fixture {
  name: string;
  text: string;
  cases: Case[];
}

// Shared with pytest (tests/test_offsets_fixtures.py), which checks Python's text[start:end].
const dir = resolve(__dirname, "../../../tests/data/offsets");
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(resolve(dir, f), "utf8")) as Fixture);

describe("shared fixtures", () => {
  it("are there", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(4);
  });
  for (const fixture of fixtures) {
    for (const c of fixture.cases) {
      it(`${fixture.name}: ${c.why}`, () => {
        const map = offsetMap(fixture.text);
        const [a, b] = snapToGraphemes(fixture.text, ...c.selection16);
        expect([a, b]).toEqual(c.utf16);
        expect([toCodePoint(map, a), toCodePoint(map, b)]).toEqual(c.codePoints);
        expect(sliceCodePoints(fixture.text, ...c.codePoints)).toBe(c.covers);
        expect([toUtf16(map, c.codePoints[0]), toUtf16(map, c.codePoints[1])]).toEqual(c.utf16);
      });
    }
  }
});

describe("offset map", () => {
  it("agrees with a dense table on every offset", () => {
    for (const { text } of fixtures) {
      const map = offsetMap(text);
      const starts = codePointStarts(text);
      expect(map.length).toBe([...text].length);
      starts.forEach((u, cp) => {
        expect(toUtf16(map, cp)).toBe(u);
        expect(toCodePoint(map, u)).toBe(cp);
      });
    }
  });

  it("counts a split surrogate pair from its start, and clamps", () => {
    const map = offsetMap("a😊b");
    expect(toCodePoint(map, 2)).toBe(1);
    expect(toCodePoint(map, 3)).toBe(2);
    expect(toCodePoint(map, 99)).toBe(3);
    expect(toUtf16(map, -4)).toBe(0);
    expect(toUtf16(map, 99)).toBe(4);
  });

  it("leaves a lone surrogate as one code point, as Python does", () => {
    const map = offsetMap("a\ud83db");
    expect(map.length).toBe(3);
  });

  it("converts within a block that starts mid-document", () => {
    const b = block(100, "P01: 😊 ja");
    expect(b.end).toBe(100 + 9);
    expect(blockToDocument(b, 8)).toBe(107);
    expect(documentToBlock(b, 107)).toBe(8);
  });
});

describe("snapping and stepping", () => {
  it("snaps to words and trims white space", () => {
    const text = "Jeg ringte kollegaen min.";
    expect(snapToWords(text, 5, 13)).toEqual([4, 20]);
    expect(snapToWords(text, 3, 5)).toEqual([4, 10]);
    expect(snapToWords(text, 3, 4)).toEqual([3, 4]);
  });

  it("steps over whole clusters", () => {
    const text = "a👨‍👩‍👧b";
    expect(stepGrapheme(text, 1, 1)).toBe(9);
    expect(stepGrapheme(text, 9, -1)).toBe(1);
    expect(stepGrapheme(text, 0, -1)).toBe(0);
    expect(stepGrapheme(text, text.length, 1)).toBe(text.length);
  });

  it("steps by words", () => {
    const text = "Jeg ringte 😊 kollegaen";
    expect(stepWord(text, 0, 1)).toBe(3);
    expect(stepWord(text, 3, 1)).toBe(10);
    expect(stepWord(text, text.length, -1)).toBe(text.indexOf("kollegaen"));
    expect(stepWord(text, 4, -1)).toBe(0);
  });

  it("keeps a sparse map for a 5 MB text: one entry per astral character", () => {
    const text = "Interviewer: hei 😊 æøå.\n".repeat(200_000);
    const map = offsetMap(text);
    expect(map.astral.length).toBe(200_000);
    const at = text.lastIndexOf("æøå");
    expect(toCodePoint(map, at)).toBe([...text.slice(0, at)].length);
  });
});
