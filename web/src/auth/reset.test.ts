import { describe, expect, it } from "vitest";
import { closedResetHeading } from "./reset";

describe("the password-reset page", () => {
  it("names what happened to a closed link", () => {
    expect(closedResetHeading("USED")).toBe("This reset link was already used");
    expect(closedResetHeading("EXPIRED")).toBe("This reset link has expired");
    expect(closedResetHeading("REVOKED")).toBe("This reset link was replaced");
    expect(closedResetHeading("OPEN")).toBe("This reset link cannot be used");
  });
});
