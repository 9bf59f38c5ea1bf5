// What the account page says after a password change, and how it orders tokens.

/** "Your password is changed. 2 other sessions and 1 API token ended." */
export function passwordChangedText(sessionsEnded: number, tokensRevoked: number): string {
  const parts: string[] = [];
  if (sessionsEnded > 0) parts.push(`${sessionsEnded} other ${sessionsEnded === 1 ? "session" : "sessions"}`);
  if (tokensRevoked > 0) parts.push(`${tokensRevoked} API ${tokensRevoked === 1 ? "token" : "tokens"}`);
  const ended =
    parts.length === 0
      ? "You were logged in nowhere else, and had no API tokens to end."
      : `${parts.join(" and ")} ended: log in again there with the new password, and make new tokens for your scripts.`;
  return `Your password is changed. ${ended.charAt(0).toUpperCase()}${ended.slice(1)}`;
}

export interface TokenRow {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

/** Active tokens first, newest first within each group. */
export function orderTokens<T extends TokenRow>(tokens: readonly T[]): T[] {
  return [...tokens].sort((a, b) => {
    const revoked = Number(!!a.revokedAt) - Number(!!b.revokedAt);
    return revoked !== 0 ? revoked : b.createdAt.localeCompare(a.createdAt);
  });
}
