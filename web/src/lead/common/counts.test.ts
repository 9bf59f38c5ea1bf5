import { describe, expect, it } from "vitest";
import { countInWords } from "./counts";

describe("countInWords", () => {
  it("keeps the plural for any number but one", () => {
    expect(countInWords("documents", 0)).toBe("0 documents");
    expect(countInWords("speaker turns", 2)).toBe("2 speaker turns");
    expect(countInWords("codings", 1200)).toBe("1,200 codings");
  });
  it("says one thing in the singular, whichever word is the noun", () => {
    expect(countInWords("documents", 1)).toBe("1 document");
    expect(countInWords("speaker_turns", 1)).toBe("1 speaker turn");
    expect(countInWords("accounts matched", 1)).toBe("1 account matched");
    expect(countInWords("placeholder accounts", 1)).toBe("1 placeholder account");
    expect(countInWords("categories", 1)).toBe("1 category");
  });
});
