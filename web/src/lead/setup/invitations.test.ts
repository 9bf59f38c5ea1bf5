import { describe, expect, it } from "vitest";
import { invitationState, invitationsCaption } from "./invitations";

const date = (iso: string) => iso.slice(0, 10);

describe("invitationState", () => {
  it("says an open invitation is open", () => {
    expect(invitationState({ status: "OPEN", expiresAt: "2026-05-10T00:00:00Z" }, date)).toBe("Open");
  });
  it("names who accepted and when", () => {
    expect(
      invitationState(
        { status: "USED", expiresAt: "2026-05-10T00:00:00Z", acceptedAt: "2026-05-03T09:00:00Z", acceptedBy: { name: "Ada" } },
        date,
      ),
    ).toBe("Accepted by Ada on 2026-05-03");
  });
  it("dates a revoked and an expired invitation", () => {
    expect(invitationState({ status: "REVOKED", expiresAt: "2026-05-10T00:00:00Z", revokedAt: "2026-05-04T00:00:00Z" }, date)).toBe(
      "Revoked on 2026-05-04",
    );
    expect(invitationState({ status: "EXPIRED", expiresAt: "2026-05-10T00:00:00Z" }, date)).toBe("Expired on 2026-05-10");
  });
});

describe("invitationsCaption", () => {
  it("counts open invitations, or all of them", () => {
    expect(invitationsCaption(0, false)).toBe("0 open invitations");
    expect(invitationsCaption(1, false)).toBe("1 open invitation");
    expect(invitationsCaption(3, true)).toBe("3 invitations, open or closed");
  });
});
