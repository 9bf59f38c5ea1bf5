import { describe, expect, it } from "vitest";
import { actionsFor, clearedText, confirmationFor, doneText } from "./admin";

const kari = { name: "Kari", email: "kari@example.org", isAdmin: false, active: true, hasPassword: true };

describe("site administration", () => {
  it("offers the actions that fit the account", () => {
    expect(actionsFor(kari).map((a) => a.action)).toEqual(["reset", "make-admin", "deactivate"]);
    const gone = { ...kari, isAdmin: true, active: false, hasPassword: false };
    expect(actionsFor(gone)).toEqual([
      { action: "reset", label: "Issue a link to set a password" },
      { action: "unmake-admin", label: "Remove administrator rights" },
      { action: "reactivate", label: "Reactivate" },
    ]);
  });

  it("asks before changing an account, saying what follows", () => {
    const deactivate = confirmationFor("deactivate", kari);
    expect(deactivate).toMatchObject({ title: "Deactivate Kari?", confirmLabel: "Deactivate", danger: true });
    expect(deactivate.body).toContain("logged out everywhere");
    expect(confirmationFor("reactivate", kari).danger).toBe(false);
    expect(confirmationFor("unmake-admin", kari).body).toContain("last active administrator");
    expect(doneText("make-admin", "Kari")).toBe("Kari is now a site administrator.");
  });

  it("says what clearing a login limit did", () => {
    expect(clearedText("a@example.org", 1)).toBe("Cleared 1 failed login for a@example.org: they can log in again now.");
    expect(clearedText("a@example.org", 0)).toContain("nothing to clear");
  });
});
