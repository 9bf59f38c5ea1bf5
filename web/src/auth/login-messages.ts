// What the login form says after a refused attempt.

/** "You can try again at 14:32." for a rate-limited login, from the server's wait. */
export function retryAt(now: Date, retryAfterSeconds: number | null): string | null {
  if (retryAfterSeconds === null) return null;
  const at = new Date(now.getTime() + retryAfterSeconds * 1000);
  const time = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return `You can try again at ${time}.`;
}
