// Logging out from the header or the palette: the session ends, the person's projects are
// forgotten, and the login page shows.
import { announce } from "../lib/announce.svelte";
import { myProjects } from "../lib/my-projects.svelte";
import { session } from "../lib/session.svelte";

export async function logOut(navigate: (to: string, options?: { replace?: boolean }) => void): Promise<void> {
  try {
    await session.logOut();
  } finally {
    // Even if the server could not be told, this tab forgets the person.
    myProjects.clear();
    navigate("/login", { replace: true });
    announce("Logged out.");
  }
}
