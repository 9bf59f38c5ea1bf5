// What the password-reset page says about a link that cannot be used.

import type { LinkStatus } from "../lib/graphql/generated";

const HEADINGS: Record<LinkStatus, string> = {
  USED: "This reset link was already used",
  REVOKED: "This reset link was replaced",
  EXPIRED: "This reset link has expired",
  // Open, yet refused: the account was deactivated.
  OPEN: "This reset link cannot be used",
};

export function closedResetHeading(status: LinkStatus): string {
  return HEADINGS[status];
}

/** For an unknown link (the API answers NOT_FOUND). */
export const UNKNOWN_RESET_LINK = {
  heading: "This reset link is not valid",
  message:
    "Check that you copied the whole link. If it still does not work, ask a site administrator for a new one.",
};
