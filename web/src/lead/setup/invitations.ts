// An invitation's state in words, for the members screen's list of invitations.

export type LinkState = "OPEN" | "USED" | "REVOKED" | "EXPIRED";

export interface InvitationLike {
  status: LinkState;
  expiresAt: string;
  acceptedAt?: string | null;
  revokedAt?: string | null;
  acceptedBy?: { name: string } | null;
}

/** "Open", "Accepted by Ada Lund on 3 May 2026", "Revoked on …", "Expired on …". */
export function invitationState(inv: InvitationLike, date: (iso: string) => string): string {
  switch (inv.status) {
    case "OPEN":
      return "Open";
    case "USED": {
      const by = inv.acceptedBy ? ` by ${inv.acceptedBy.name}` : "";
      return `Accepted${by}${inv.acceptedAt ? ` on ${date(inv.acceptedAt)}` : ""}`;
    }
    case "REVOKED":
      return `Revoked${inv.revokedAt ? ` on ${date(inv.revokedAt)}` : ""}`;
    case "EXPIRED":
      return `Expired on ${date(inv.expiresAt)}`;
  }
}

/** The caption over the list: how many, and which ones. */
export function invitationsCaption(count: number, includeClosed: boolean): string {
  if (includeClosed) return count === 1 ? "1 invitation, open or closed" : `${count} invitations, open or closed`;
  return count === 1 ? "1 open invitation" : `${count} open invitations`;
}
