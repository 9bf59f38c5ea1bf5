// What the invitation page shows, from the link's preview and who is logged in.

import type { LinkStatus, Role } from "../lib/graphql/generated";

export interface InvitationFacts {
  email: string;
  status: LinkStatus;
  valid: boolean;
  problem: string | null;
}

export type InvitationView =
  /** The link cannot be used: say why (the API's words) and what to do. */
  | { kind: "closed"; heading: string; message: string; canLogIn: boolean }
  /** Nobody is logged in: make the account (or log in, if the email has one). */
  | { kind: "create" }
  /** Logged in as the invited account: one button to join. */
  | { kind: "join" }
  /** Logged in as someone else: the link is not theirs. */
  | { kind: "other-account"; loggedInAs: string };

const CLOSED_HEADINGS: Record<LinkStatus, string> = {
  USED: "This invitation was already used",
  REVOKED: "This invitation was withdrawn",
  EXPIRED: "This invitation has expired",
  OPEN: "This invitation cannot be used now",
};

export function invitationView(facts: InvitationFacts, loggedInEmail: string | null): InvitationView {
  if (!facts.valid) {
    return {
      kind: "closed",
      heading: CLOSED_HEADINGS[facts.status],
      message: facts.problem ?? "This invitation cannot be used. Ask the project's lead for a new link.",
      canLogIn: facts.status === "USED" && loggedInEmail === null,
    };
  }
  if (loggedInEmail === null) return { kind: "create" };
  if (loggedInEmail.trim().toLowerCase() === facts.email.trim().toLowerCase()) return { kind: "join" };
  return { kind: "other-account", loggedInAs: loggedInEmail };
}

/** For an unknown link (the API answers NOT_FOUND). */
export const UNKNOWN_LINK = {
  heading: "This invitation link is not valid",
  message:
    "Check that you copied the whole link. If it still does not work, ask the project's lead for a new one.",
};

const ROLE_WORDS: Record<Role, string> = {
  LEAD: "a lead (sets the project up, assigns, measures, resolves and exports)",
  CODER: "a coder (codes the documents assigned to you)",
  VIEWER: "a viewer (reads results and reports; changes nothing)",
};

export function roleInWords(role: Role): string {
  return ROLE_WORDS[role];
}

/** The login page, coming back to this invitation afterwards. */
export function loginThenBack(token: string): string {
  return `/login?next=${encodeURIComponent(`/invite/${encodeURIComponent(token)}`)}`;
}
