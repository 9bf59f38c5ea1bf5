// The app's live regions: one polite, one assertive, drawn once by the app's layout
// (app/LiveRegions.svelte). Screens call `announce` after an action whose result a screen
// reader user cannot otherwise hear: "Applied 'Peer support' to 12 words".

class Announcer {
  polite = $state("");
  assertive = $state("");
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Say `message` once. The same message twice in a row is said twice. */
  say(message: string, urgent: boolean): void {
    // Emptying the region first makes a repeated message a change screen readers report.
    this.polite = "";
    this.assertive = "";
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (urgent) this.assertive = message;
      else this.polite = message;
    }, 50);
  }
}

export const announcer = new Announcer();

/** Announce politely (after what the screen reader is saying now). */
export function announce(message: string): void {
  announcer.say(message, false);
}

/** Announce at once, interrupting: only for errors that stop the person's work. */
export function announceUrgently(message: string): void {
  announcer.say(message, true);
}
