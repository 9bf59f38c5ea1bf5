import { describe, expect, it } from "vitest";
import { passwordRules, placeProblem, repeatProblem } from "./passwords";

describe("password forms", () => {
  it("say the site's minimum length up front", () => {
    expect(passwordRules(12)).toContain("At least 12 characters");
  });

  it("want the same password twice", () => {
    expect(repeatProblem("long enough phrase", "long enough phrase")).toBeNull();
    expect(repeatProblem("long enough phrase", "long enough phrasE")).toMatch(/differ/);
    expect(repeatProblem("long enough phrase", "")).toMatch(/second time/);
  });

  it("put the server's problem next to the field it blames", () => {
    const fields = { password: "password", name: "name" } as const;
    expect(placeProblem({ message: "Too short", code: "INVALID_INPUT", field: "password" }, fields)).toEqual({
      field: "password",
      message: "Too short",
    });
    expect(placeProblem({ message: "Link used", code: "CONFLICT", field: "token" }, fields)).toEqual({
      field: null,
      message: "Link used",
    });
    expect(placeProblem({ message: "Slow down", code: "RATE_LIMITED" }, fields).field).toBeNull();
  });
});
