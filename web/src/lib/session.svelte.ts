// Who is using the app, and what happens when that changes.
//
// status: "unknown" (asking the server) → "anonymous" or "authenticated"; an
// authenticated session that the server stops accepting becomes "expired": the app shows
// a login dialog over the current screen, and every request refused meanwhile waits
// (`whenAuthenticated`) and is sent again once the person has logged in, so nothing
// unsent is lost. The workspace's save queue can wait on `whenAuthenticated` itself.
import { announceUrgently } from "./announce.svelte";
import { ApiError, guardSession, mutate, query, resetSocket } from "./graphql/client";
import { LogInDocument, LogOutDocument, MeDocument } from "./graphql/generated";

export interface Me {
  id: string;
  name: string;
  email: string;
  /** A site administrator (the /admin screens). */
  isAdmin?: boolean;
}

export type SessionStatus = "unknown" | "anonymous" | "authenticated" | "expired";

/** The answer to a login attempt, for the form to show. */
export type LoginOutcome =
  | { ok: true; user: Me }
  | { ok: false; message: string; code: string; retryAfterSeconds: number | null };

/** What the session needs from the server; the tests give it a fake. */
export interface SessionTransport {
  /** The caller, or null when the server says UNAUTHENTICATED. Throws on other failures. */
  me(): Promise<Me | null>;
  logIn(email: string, password: string): Promise<LoginOutcome>;
  logOut(): Promise<void>;
}

export class Session {
  status: SessionStatus = $state("unknown");
  user: Me | null = $state(null);
  #waiters: (() => void)[] = [];
  #checking: Promise<boolean> | null = null;

  constructor(private readonly transport: SessionTransport) {}

  get isAdmin(): boolean {
    return this.user?.isAdmin ?? false;
  }

  /** Ask the server who this is (on start, and after a failed start). */
  async start(): Promise<void> {
    const me = await this.transport.me();
    this.#become(me);
  }

  async logIn(email: string, password: string): Promise<LoginOutcome> {
    const outcome = await this.transport.logIn(email, password);
    if (outcome.ok) this.#become(outcome.user);
    return outcome;
  }

  async logOut(): Promise<void> {
    try {
      await this.transport.logOut();
    } finally {
      this.#become(null);
    }
  }

  /** The server opened a session for this account by another way than the login form
   * (an invitation accepted, a password reset). */
  adopt(user: Me): void {
    this.#become(user);
  }

  /** Resolves when the person is logged in: at once, or after the login dialog. */
  whenAuthenticated(): Promise<void> {
    if (this.status === "authenticated") return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * A request was refused as UNAUTHENTICATED. Resolves true when it should be sent again
   * (the session had expired, and the person has logged in again), false when the refusal
   * is the answer (no session to restore, or the session is fine and the refusal meant
   * something else, such as a wrong current password).
   */
  async refused(): Promise<boolean> {
    if (this.status === "expired") {
      await this.whenAuthenticated();
      return true;
    }
    if (this.status !== "authenticated") return false;
    this.#checking ??= this.#check().finally(() => {
      this.#checking = null;
    });
    if (!(await this.#checking)) return false;
    await this.whenAuthenticated();
    return true;
  }

  /** Whether the session has expired; if so, ask the person to log in again. */
  async #check(): Promise<boolean> {
    let me: Me | null;
    try {
      me = await this.transport.me();
    } catch {
      return false; // the server is unreachable: the refusal stands, nothing to restore
    }
    if (me) return false;
    this.status = "expired";
    announceUrgently("Your session has ended. Log in again to carry on; nothing is lost.");
    return true;
  }

  #become(user: Me | null): void {
    if (user && this.user && this.user.id !== user.id) {
      // Someone else logged in in this tab: work waiting for the old session is not theirs.
      // The login dialog only lets the same person back in, so this is a fresh start.
      this.#waiters = [];
    }
    this.user = user;
    this.status = user ? "authenticated" : "anonymous";
    if (user) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}

const serverTransport: SessionTransport = {
  async me() {
    try {
      return (await query(MeDocument, {}, { anonymous: true })).me;
    } catch (error) {
      if (error instanceof ApiError && error.code === "UNAUTHENTICATED") return null;
      throw error;
    }
  },
  async logIn(email, password) {
    const { login } = await mutate(LogInDocument, { email, password }, { anonymous: true });
    if (login.__typename === "User") {
      return { ok: true, user: { id: login.id, name: login.name, email: login.email, isAdmin: login.isAdmin } };
    }
    return {
      ok: false,
      message: login.message,
      code: login.code,
      retryAfterSeconds: login.__typename === "RateLimitedError" ? login.retryAfterSeconds : null,
    };
  },
  async logOut() {
    await mutate(LogOutDocument, {}, { anonymous: true });
    // The socket was opened with the old cookie; the next subscription opens a new one.
    resetSocket();
  },
};

export const session = new Session(serverTransport);
guardSession(() => session.refused());
