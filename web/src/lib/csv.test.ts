import { describe, expect, it } from "vitest";
import { fileName, toCsv } from "./csv";

describe("toCsv", () => {
  const columns = [
    { label: "Code", value: (r: { code: string; n: number | null }) => r.code },
    { label: "n", value: (r: { code: string; n: number | null }) => r.n },
  ];

  it("quotes commas, quotes and line breaks, with CRLF rows", () => {
    const text = toCsv(columns, [
      { code: 'Help, "peer"', n: 3 },
      { code: "two\nlines", n: null },
    ]);
    expect(text).toBe('Code,n\r\n"Help, ""peer""",3\r\n"two\nlines",\r\n');
  });

  it("makes formulas inert but keeps negative numbers", () => {
    const text = toCsv(columns, [
      { code: "=HYPERLINK(1)", n: -0.25 },
      { code: "@sum", n: Number.NaN },
    ]);
    expect(text).toBe("Code,n\r\n'=HYPERLINK(1),-0.25\r\n'@sum,\r\n");
  });
});

describe("fileName", () => {
  it("keeps letters of any script and digits", () => {
    expect(fileName("Støtte & hjelp", "per code")).toBe("støtte-hjelp-per-code");
  });
});
