// The command palette's registry (Ctrl+K / ⌘K). The app registers its commands (go to a
// screen, switch project, theme, log out); a screen adds its own while it is shown:
//
//   $effect(() => registerCommands([
//     { id: "coder.submit", label: "Submit this document", group: "Workspace", run: submit },
//   ]));
import { untrack } from "svelte";

export interface Command {
  /** Unique among the commands registered at once; the newest registration wins. */
  id: string;
  label: string;
  /** Shown beside the label: "Go to", "Project", "Workspace". */
  group?: string;
  /** A shortcut that does the same, to show and teach it ("Mod+Z"). */
  keys?: string;
  /** Extra words the filter should find it by ("dark mode" for the theme). */
  keywords?: string;
  run: () => void | Promise<void>;
}

export class CommandRegistry {
  entries: Command[][] = $state([]);
  /** Whether the palette is open. */
  open = $state(false);

  register(list: readonly Command[]): () => void {
    const added = [...list];
    // Registering from an $effect must not make the effect depend on the registry.
    untrack(() => {
      this.entries = [...this.entries, added];
    });
    return () => {
      untrack(() => {
        this.entries = this.entries.filter((e) => e !== added);
      });
    };
  }

  /** Every command available now; screens' commands first, then the app's. */
  get all(): Command[] {
    const seen = new Set<string>();
    const result: Command[] = [];
    for (const list of [...this.entries].reverse()) {
      for (const command of list) {
        if (seen.has(command.id)) continue;
        seen.add(command.id);
        result.push(command);
      }
    }
    return result;
  }
}

export const commands = new CommandRegistry();

export function registerCommands(list: readonly Command[]): () => void {
  return commands.register(list);
}

/** Open the palette (its own shortcut is registered by the app). */
export function openPalette(): void {
  commands.open = true;
}
