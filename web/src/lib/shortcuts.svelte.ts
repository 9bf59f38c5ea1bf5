// Keyboard shortcuts: one registry behind every key the app answers to, and behind the
// `?` dialog that lists them. A screen registers its keys while it is shown:
//
//   $effect(() => registerShortcuts([
//     { keys: "J", description: "Next coding", scope: "Workspace", run: () => next() },
//   ]));
//
// Keys are written "Mod+K" (Ctrl, or ⌘ on a Mac), "Shift+Enter", "Alt+ArrowUp", "?", "1".
// A letter with Shift is a different key ("J" is not "Shift+J"); for other characters
// Shift is whatever the keyboard layout needs to type them ("?" is "?"). Keys never fire
// while the person types in a field unless the registration says `inFields`, nor behind
// an open modal dialog. When two registrations want the same key, the newest wins.
import { untrack } from "svelte";

export interface Shortcut {
  keys: string;
  /** What it does, as the `?` dialog lists it: "Apply the selected code". */
  description: string;
  /** The heading it is listed under: "Everywhere", "Workspace", ... */
  scope?: string;
  /** Fire even while a text field has the focus (Ctrl+K, Ctrl+S). */
  inFields?: boolean;
  /** Return false to let the key through (to an older registration, or the browser). */
  run: (event: KeyboardEvent) => void | boolean;
}

export const DEFAULT_SCOPE = "This screen";

interface KeySpec {
  ctrl: boolean;
  meta: boolean;
  mod: boolean;
  alt: boolean;
  shift: boolean;
  key: string;
}

export function parseKeys(keys: string): KeySpec {
  const parts = keys.endsWith("++") ? [...keys.slice(0, -2).split("+"), "+"] : keys.split("+");
  const key = parts.pop() ?? "";
  const has = (name: string) => parts.some((p) => p.toLowerCase() === name);
  return {
    ctrl: has("ctrl"),
    meta: has("meta") || has("cmd"),
    mod: has("mod"),
    alt: has("alt"),
    shift: has("shift"),
    key: key === "Space" ? " " : key,
  };
}

/** The keyboard facts of an event that matching needs (a KeyboardEvent has them all). */
export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const LETTER = /^[a-z]$/i;

export function matches(keys: string, press: KeyPress, mac: boolean): boolean {
  const spec = parseKeys(keys);
  const wantCtrl = spec.ctrl || (spec.mod && !mac);
  const wantMeta = spec.meta || (spec.mod && mac);
  if (press.ctrlKey !== wantCtrl || press.metaKey !== wantMeta || press.altKey !== spec.alt) {
    return false;
  }
  if (spec.key.length === 1 && LETTER.test(spec.key)) {
    if (press.shiftKey !== spec.shift) return false;
    // Alt+letter types another character on a Mac; the physical key still says which.
    return (
      press.key.toLowerCase() === spec.key.toLowerCase() ||
      (press.altKey && press.code === `Key${spec.key.toUpperCase()}`)
    );
  }
  if (spec.key.length === 1) {
    if (press.key === spec.key) return true;
    return press.altKey && /^\d$/.test(spec.key) && press.code === `Digit${spec.key}`;
  }
  return press.shiftKey === spec.shift && press.key === spec.key;
}

const NAMED: Record<string, string> = {
  ArrowUp: "↑",
  ArrowDown: "↓",
  ArrowLeft: "←",
  ArrowRight: "→",
  Escape: "Esc",
  " ": "Space",
};

/** The keys to show, one label per key: ["Ctrl", "Shift", "Z"] or ["⌘", "⇧", "Z"]. */
export function keyLabels(keys: string, mac: boolean): string[] {
  const spec = parseKeys(keys);
  const labels: string[] = [];
  if (spec.ctrl || (spec.mod && !mac)) labels.push(mac ? "⌃" : "Ctrl");
  if (spec.meta || (spec.mod && mac)) labels.push("⌘");
  if (spec.alt) labels.push(mac ? "⌥" : "Alt");
  if (spec.shift) labels.push(mac ? "⇧" : "Shift");
  const key = NAMED[spec.key] ?? spec.key;
  labels.push(key.length === 1 ? key.toUpperCase() : key);
  return labels;
}

const NOT_TYPING = new Set(["button", "checkbox", "radio", "submit", "reset", "range", "color", "file", "image"]);

/** Whether keys pressed now would type into a field. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== "function") return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !NOT_TYPING.has((element as HTMLInputElement).type);
  return false;
}

interface Registration extends Shortcut {
  seq: number;
}

export interface Environment {
  mac: boolean;
  /** A modal dialog is open: keys belong to it. */
  modalOpen: boolean;
}

export class ShortcutRegistry {
  entries: Registration[] = $state([]);
  #seq = 0;

  /** Register keys until the returned function is called (return it from an $effect). */
  register(list: readonly Shortcut[]): () => void {
    const added = list.map((s) => ({ ...s, seq: ++this.#seq }));
    // Registering from an $effect must not make the effect depend on the registry.
    untrack(() => {
      this.entries = [...this.entries, ...added];
    });
    return () => {
      untrack(() => {
        this.entries = this.entries.filter((e) => !added.includes(e));
      });
    };
  }

  /** The registrations that answer now: the newest per key, newest scope first. */
  get active(): Shortcut[] {
    const seen = new Set<string>();
    const result: Shortcut[] = [];
    for (const entry of [...this.entries].reverse()) {
      const id = entry.keys.toLowerCase();
      if (seen.has(id)) continue;
      seen.add(id);
      result.push(entry);
    }
    return result;
  }

  /** Active shortcuts grouped by scope, for the `?` dialog. */
  get groups(): { scope: string; shortcuts: Shortcut[] }[] {
    const groups = new Map<string, Shortcut[]>();
    for (const s of this.active) {
      const scope = s.scope ?? DEFAULT_SCOPE;
      groups.set(scope, [...(groups.get(scope) ?? []), s]);
    }
    return [...groups].map(([scope, shortcuts]) => ({ scope, shortcuts: shortcuts.reverse() }));
  }

  /** Run the newest registration that wants this key press. True when one took it. */
  handle(event: KeyboardEvent, env: Environment): boolean {
    if (event.defaultPrevented || event.isComposing || env.modalOpen) return false;
    const typing = isTypingTarget(event.target);
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i] as Registration;
      if (typing && !entry.inFields) continue;
      if (!matches(entry.keys, event, env.mac)) continue;
      if (entry.run(event) === false) continue;
      event.preventDefault();
      return true;
    }
    return false;
  }
}

export const shortcuts = new ShortcutRegistry();

export function registerShortcuts(list: readonly Shortcut[]): () => void {
  return shortcuts.register(list);
}

export function isMac(): boolean {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
