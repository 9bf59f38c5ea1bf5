import { describe, expect, it } from "vitest";
import { codeColor, runStyle } from "./lanestyle";

describe("lane styles", () => {
  it("gives codes without a colour an Okabe–Ito hue", () => {
    expect(codeColor("#123456", 3)).toBe("#123456");
    expect(codeColor(null, 0)).toBe("#0072B2");
    expect(codeColor(undefined, 9)).toBe("#D55E00");
  });

  it("draws a line per covered lane, lane 0 nearest the text, each with its pattern", () => {
    const style = runStyle(["#111111", null, "#222222"], ["solid", "dotted", "double"]);
    expect(style).toContain("padding-bottom:20px");
    expect(style).toContain("linear-gradient(#111111, #111111)");
    expect(style).toContain("linear-gradient(#222222 0 1px");
    expect(style).not.toContain("repeating");
    expect(style).toContain("background-position:0 calc(100% - 12px),0 calc(100% - 0px)");
    expect(runStyle([null, null], ["solid", "dotted"])).toBe("padding-bottom:14px");
  });
});
