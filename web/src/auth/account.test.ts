import { describe, expect, it } from "vitest";
import { orderTokens, passwordChangedText } from "./account";

describe("the account page", () => {
  it("says what a password change ended", () => {
    expect(passwordChangedText(2, 1)).toBe(
      "Your password is changed. 2 other sessions and 1 API token ended: log in again there with the new password, and make new tokens for your scripts.",
    );
    expect(passwordChangedText(0, 3)).toContain("3 API tokens ended");
    expect(passwordChangedText(0, 0)).toContain("You were logged in nowhere else");
  });

  it("lists active tokens first, newest first", () => {
    const tokens = [
      { id: "a", name: "old", createdAt: "2026-01-01T00:00:00Z", revokedAt: null },
      { id: "b", name: "gone", createdAt: "2026-03-01T00:00:00Z", revokedAt: "2026-03-02T00:00:00Z" },
      { id: "c", name: "new", createdAt: "2026-02-01T00:00:00Z", revokedAt: null },
    ];
    expect(orderTokens(tokens).map((t) => t.id)).toEqual(["c", "a", "b"]);
  });
});
