// Site administration: what can be done to an account, and what to ask before doing it.
// Plain functions, tested without a browser; the API decides what is allowed.

export interface AccountFacts {
  name: string;
  email: string;
  isAdmin: boolean;
  active: boolean;
  hasPassword: boolean;
}

export type AccountAction = "reset" | "deactivate" | "reactivate" | "make-admin" | "unmake-admin";

/** The actions offered for an account, in the order of its menu. */
export function actionsFor(account: AccountFacts): { action: AccountAction; label: string }[] {
  return [
    {
      action: "reset",
      label: account.hasPassword ? "Issue a password-reset link" : "Issue a link to set a password",
    },
    account.isAdmin
      ? { action: "unmake-admin", label: "Remove administrator rights" }
      : { action: "make-admin", label: "Make site administrator" },
    account.active
      ? { action: "deactivate", label: "Deactivate" }
      : { action: "reactivate", label: "Reactivate" },
  ];
}

export interface Confirmation {
  title: string;
  confirmLabel: string;
  body: string;
  danger: boolean;
}

/** What the confirmation says for an action that changes an account (not for a reset link). */
export function confirmationFor(action: Exclude<AccountAction, "reset">, account: AccountFacts): Confirmation {
  const who = `${account.name} (${account.email})`;
  switch (action) {
    case "deactivate":
      return {
        title: `Deactivate ${account.name}?`,
        confirmLabel: "Deactivate",
        body: `${who} is logged out everywhere at once, their API tokens and reset links stop working, and they cannot log in until reactivated. Their work and memberships stay.`,
        danger: true,
      };
    case "reactivate":
      return {
        title: `Reactivate ${account.name}?`,
        confirmLabel: "Reactivate",
        body: `${who} can log in again. Their old sessions and tokens stay ended.`,
        danger: false,
      };
    case "make-admin":
      return {
        title: `Make ${account.name} a site administrator?`,
        confirmLabel: "Make administrator",
        body: `${who} will manage every account of this Accord: reset links, deactivation and administrators.`,
        danger: false,
      };
    case "unmake-admin":
      return {
        title: `Remove ${account.name}'s administrator rights?`,
        confirmLabel: "Remove rights",
        body: `${who} will no longer manage accounts. The last active administrator always stays one.`,
        danger: true,
      };
  }
}

/** What a successful action is announced as. */
export function doneText(action: Exclude<AccountAction, "reset">, name: string): string {
  const words: Record<Exclude<AccountAction, "reset">, string> = {
    deactivate: `${name} is deactivated and logged out everywhere.`,
    reactivate: `${name} can log in again.`,
    "make-admin": `${name} is now a site administrator.`,
    "unmake-admin": `${name} is no longer a site administrator.`,
  };
  return words[action];
}

/** "Cleared 4 failed logins for ada@example.org." */
export function clearedText(email: string, failures: number): string {
  if (failures === 0) return `No failed logins were counted against ${email}: nothing to clear.`;
  return `Cleared ${failures} failed ${failures === 1 ? "login" : "logins"} for ${email}: they can log in again now.`;
}
