import { describe, expect, it } from "vitest";
import { invitationView, loginThenBack, type InvitationFacts } from "./invitation";

const open: InvitationFacts = { email: "Ada@example.org", status: "OPEN", valid: true, problem: null };

describe("the invitation page", () => {
  it("offers a new account to a visitor, and joining to the invited account", () => {
    expect(invitationView(open, null)).toEqual({ kind: "create" });
    expect(invitationView(open, "ada@example.org")).toEqual({ kind: "join" });
    expect(invitationView(open, "bo@example.org")).toEqual({ kind: "other-account", loggedInAs: "bo@example.org" });
  });

  it("says why a link is closed, in the API's words", () => {
    const used = invitationView({ ...open, status: "USED", valid: false, problem: "Already used." }, null);
    expect(used).toEqual({ kind: "closed", heading: "This invitation was already used", message: "Already used.", canLogIn: true });
    const revoked = invitationView({ ...open, status: "REVOKED", valid: false, problem: "Withdrawn." }, null);
    expect(revoked).toMatchObject({ heading: "This invitation was withdrawn", canLogIn: false });
    const expired = invitationView({ ...open, status: "EXPIRED", valid: false, problem: "Expired." }, "ada@example.org");
    expect(expired).toMatchObject({ heading: "This invitation has expired", message: "Expired." });
    const final = invitationView({ ...open, valid: false, problem: "The project is final." }, null);
    expect(final).toMatchObject({ kind: "closed", message: "The project is final." });
  });

  it("comes back to the invitation after logging in", () => {
    expect(loginThenBack("abc_D-1")).toBe("/login?next=%2Finvite%2Fabc_D-1");
  });
});
