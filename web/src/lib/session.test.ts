import { describe, expect, it } from "vitest";
import { type LoginOutcome, type Me, Session, type SessionTransport } from "./session.svelte";

const ada: Me = { id: "u1", name: "Ada", email: "ada@example.org" };

/** A server whose session can be ended, as deleting the session row does. */
class FakeServer implements SessionTransport {
  loggedIn: Me | null = null;
  meCalls = 0;
  async me() {
    this.meCalls++;
    return this.loggedIn;
  }
  async logIn(email: string, password: string): Promise<LoginOutcome> {
    if (email === ada.email && password === "right-password") {
      this.loggedIn = ada;
      return { ok: true, user: ada };
    }
    return { ok: false, message: "Email or password is incorrect.", code: "UNAUTHENTICATED", retryAfterSeconds: null };
  }
  async logOut() {
    this.loggedIn = null;
  }
}

describe("Session", () => {
  it("starts as whoever the server says", async () => {
    const server = new FakeServer();
    const session = new Session(server);
    expect(session.status).toBe("unknown");
    await session.start();
    expect(session.status).toBe("anonymous");
    server.loggedIn = ada;
    await session.start();
    expect(session.status).toBe("authenticated");
    expect(session.user).toEqual(ada);
  });

  it("keeps a wrong password's answer and stays anonymous", async () => {
    const session = new Session(new FakeServer());
    await session.start();
    const outcome = await session.logIn(ada.email, "wrong");
    expect(outcome.ok).toBe(false);
    expect(session.status).toBe("anonymous");
  });

  it("lets a refusal stand when the session is fine (a wrong current password)", async () => {
    const server = new FakeServer();
    server.loggedIn = ada;
    const session = new Session(server);
    await session.start();
    expect(await session.refused()).toBe(false);
    expect(session.status).toBe("authenticated");
  });

  it("lets a refusal stand for someone who never logged in", async () => {
    const server = new FakeServer();
    const session = new Session(server);
    await session.start();
    expect(await session.refused()).toBe(false);
    expect(server.meCalls).toBe(1); // no second question to the server
  });

  it("holds refused requests while expired, and releases them after logging in again", async () => {
    const server = new FakeServer();
    server.loggedIn = ada;
    const session = new Session(server);
    await session.start();
    server.loggedIn = null; // the session row is gone
    const retries = [session.refused(), session.refused(), session.refused()];
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.status).toBe("expired");
    expect(server.meCalls).toBe(2); // one check for all three refusals
    let released = false;
    const waiting = Promise.all(retries).then((answers) => {
      released = true;
      return answers;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(released).toBe(false);
    expect((await session.logIn(ada.email, "wrong")).ok).toBe(false);
    expect(session.status).toBe("expired");
    await session.logIn(ada.email, "right-password");
    expect(await waiting).toEqual([true, true, true]);
    expect(session.status).toBe("authenticated");
    // A refusal arriving while expired waits too.
    await expect(session.whenAuthenticated()).resolves.toBeUndefined();
  });

  it("logs out to anonymous", async () => {
    const server = new FakeServer();
    server.loggedIn = ada;
    const session = new Session(server);
    await session.start();
    await session.logOut();
    expect(session.status).toBe("anonymous");
    expect(session.user).toBeNull();
  });

  it("adopts the account the server logged in by an invitation or a reset", async () => {
    const session = new Session(new FakeServer());
    await session.start();
    expect(session.status).toBe("anonymous");
    let resumed = false;
    void session.whenAuthenticated().then(() => (resumed = true));
    session.adopt(ada);
    await Promise.resolve();
    expect(session.status).toBe("authenticated");
    expect(session.user).toEqual(ada);
    expect(resumed).toBe(true);
  });
});
