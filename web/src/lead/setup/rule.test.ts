import { describe, expect, it } from "vitest";
import { ruleInWords } from "./rule";

describe("ruleInWords", () => {
  it("states the default rule", () => {
    expect(
      ruleInWords({ consensusRequireAllCoders: true, consensusRequireSameCode: true, consensusMinOverlap: 0.9 }),
    ).toBe(
      "A passage goes into the consensus layer on its own when every coder assigned to the document coded it, " +
        "all with the same code, and every two coders' segments there overlap by at least 90% of the text either " +
        "of them marked. Everything else waits for a lead's decision.",
    );
  });

  it("states a lenient rule", () => {
    const words = ruleInWords({ consensusRequireAllCoders: false, consensusRequireSameCode: false, consensusMinOverlap: 0.5 });
    expect(words).toContain("at least two of the coders coded it");
    expect(words).toContain("(whatever codes they chose)");
    expect(words).toContain("at least 50%");
  });
});
