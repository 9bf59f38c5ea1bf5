import { describe, expect, it } from "vitest";
import { DEFAULT_PREFS, displayAttributes, readPrefs } from "./display.svelte";

describe("readPrefs", () => {
  it("falls back to the defaults for missing, broken or unknown values", () => {
    expect(readPrefs(null)).toEqual(DEFAULT_PREFS);
    expect(readPrefs("{not json")).toEqual(DEFAULT_PREFS);
    expect(readPrefs(JSON.stringify({ theme: "purple", textSize: 400 }))).toEqual(DEFAULT_PREFS);
  });
  it("keeps valid choices", () => {
    const stored = { theme: "dark", textSize: 125, lineSpacing: "relaxed", motion: "reduce" };
    expect(readPrefs(JSON.stringify(stored))).toEqual(stored);
  });
});

describe("displayAttributes", () => {
  const system = { dark: true, reduceMotion: false };
  it("follows the system unless the person chose", () => {
    expect(displayAttributes(DEFAULT_PREFS, system).theme).toBe("dark");
    expect(displayAttributes({ ...DEFAULT_PREFS, theme: "light" }, system).theme).toBe("light");
    expect(displayAttributes(DEFAULT_PREFS, { dark: false, reduceMotion: true }).motion).toBe("reduce");
    expect(displayAttributes({ ...DEFAULT_PREFS, motion: "reduce" }, system).motion).toBe("reduce");
  });
  it("scales text and spacing", () => {
    const props = displayAttributes({ ...DEFAULT_PREFS, textSize: 150, lineSpacing: "relaxed" }, system)
      .properties;
    expect(props["--text-scale"]).toBe("1.5");
    expect(props["--line-height-reading"]).toBe("2");
  });
});
