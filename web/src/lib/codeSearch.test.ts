import { describe, expect, it } from "vitest";
import { searchCodes } from "./codeSearch";

const codes = [
  { id: "1", name: "Fear of stigma", path: "Seeking help > Barriers > Fear of stigma", definition: "Worry about what colleagues think" },
  { id: "2", name: "Lack of time", path: "Seeking help > Barriers > Lack of time", definition: "No time to seek help" },
  { id: "3", name: "Peer-support service", path: "Seeking help > Ways in > Peer-support service", definition: "" },
  { id: "4", name: "Being listened to", path: "The peer conversation > What helped > Being listened to", definition: "" },
];

describe("code search", () => {
  it("finds letters in order and ranks word starts first", () => {
    expect(searchCodes(codes, "zzq")).toEqual([]);
    expect(searchCodes(codes, "fos").map((c) => c.id)[0]).toBe("1");
    expect(searchCodes(codes, "time").map((c) => c.id)[0]).toBe("2");
  });

  it("matches the path and the definition", () => {
    expect(searchCodes(codes, "barriers").map((c) => c.id).sort()).toEqual(["1", "2"]);
    expect(searchCodes(codes, "colleagues").map((c) => c.id)).toContain("1");
  });

  it("puts a name match above a path match", () => {
    expect(searchCodes(codes, "peer").map((c) => c.id)[0]).toBe("3");
  });

  it("lists everything for an empty query, in codebook order", () => {
    expect(searchCodes(codes, " ").map((c) => c.id)).toEqual(["1", "2", "3", "4"]);
  });
});
