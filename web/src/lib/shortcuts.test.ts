import { describe, expect, it, vi } from "vitest";
import { type KeyPress, ShortcutRegistry, isTypingTarget, keyLabels, matches } from "./shortcuts.svelte";

function press(key: string, extra: Partial<KeyPress> = {}): KeyPress {
  return { key, code: "", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...extra };
}

describe("matches", () => {
  it("takes Mod as Ctrl, or as ⌘ on a Mac", () => {
    expect(matches("Mod+K", press("k", { ctrlKey: true }), false)).toBe(true);
    expect(matches("Mod+K", press("k", { metaKey: true }), false)).toBe(false);
    expect(matches("Mod+K", press("k", { metaKey: true }), true)).toBe(true);
    expect(matches("Mod+K", press("k", { ctrlKey: true }), true)).toBe(false);
  });
  it("tells a letter from the letter with Shift", () => {
    expect(matches("J", press("j"), false)).toBe(true);
    expect(matches("J", press("J", { shiftKey: true }), false)).toBe(false);
    expect(matches("Shift+J", press("J", { shiftKey: true }), false)).toBe(true);
    expect(matches("Mod+Shift+Z", press("Z", { ctrlKey: true, shiftKey: true }), false)).toBe(true);
    expect(matches("Mod+Z", press("Z", { ctrlKey: true, shiftKey: true }), false)).toBe(false);
  });
  it("lets the layout choose Shift for other characters", () => {
    expect(matches("?", press("?", { shiftKey: true }), false)).toBe(true);
    expect(matches("/", press("/"), false)).toBe(true);
    expect(matches("1", press("1"), false)).toBe(true);
    expect(matches("1", press("!", { shiftKey: true }), false)).toBe(false);
  });
  it("never fires a plain key with a modifier held", () => {
    expect(matches("J", press("j", { ctrlKey: true }), false)).toBe(false);
    expect(matches("?", press("?", { altKey: true }), false)).toBe(false);
  });
  it("reads Alt+letter from the physical key (a Mac types ∆ for Alt+J)", () => {
    expect(matches("Alt+J", press("∆", { altKey: true, code: "KeyJ" }), true)).toBe(true);
  });
  it("matches named keys with their modifiers", () => {
    expect(matches("Shift+Enter", press("Enter", { shiftKey: true }), false)).toBe(true);
    expect(matches("Enter", press("Enter", { shiftKey: true }), false)).toBe(false);
    expect(matches("Alt+ArrowUp", press("ArrowUp", { altKey: true }), false)).toBe(true);
  });
});

describe("keyLabels", () => {
  it("names keys for the platform", () => {
    expect(keyLabels("Mod+Shift+Z", false)).toEqual(["Ctrl", "Shift", "Z"]);
    expect(keyLabels("Mod+K", true)).toEqual(["⌘", "K"]);
    expect(keyLabels("Alt+ArrowUp", false)).toEqual(["Alt", "↑"]);
    expect(keyLabels("Escape", false)).toEqual(["Esc"]);
    expect(keyLabels("?", false)).toEqual(["?"]);
  });
});

function event(key: string, target: object | null = null, extra: Partial<KeyPress> = {}) {
  const fake = { ...press(key, extra), target, defaultPrevented: false, isComposing: false, preventDefault() {} };
  fake.preventDefault = () => {
    fake.defaultPrevented = true;
  };
  return fake as unknown as KeyboardEvent;
}

function field(tag: string, type = "text") {
  return { tagName: tag, type, isContentEditable: false, closest: () => null };
}

const env = { mac: false, modalOpen: false };

describe("isTypingTarget", () => {
  it("knows text fields from buttons and checkboxes", () => {
    expect(isTypingTarget(field("INPUT") as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget(field("TEXTAREA") as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget(field("INPUT", "checkbox") as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(field("BUTTON") as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe("ShortcutRegistry", () => {
  it("runs the newest registration of a key, and the older one once it is gone", () => {
    const registry = new ShortcutRegistry();
    const app = vi.fn();
    const screen = vi.fn();
    registry.register([{ keys: "?", description: "Shortcuts", scope: "Everywhere", run: app }]);
    const unregister = registry.register([{ keys: "?", description: "Screen help", run: screen }]);
    const first = event("?");
    expect(registry.handle(first, env)).toBe(true);
    expect(first.defaultPrevented).toBe(true);
    expect(screen).toHaveBeenCalledTimes(1);
    expect(app).not.toHaveBeenCalled();
    unregister();
    registry.handle(event("?"), env);
    expect(app).toHaveBeenCalledTimes(1);
  });
  it("stays quiet while typing in a field unless the key says otherwise", () => {
    const registry = new ShortcutRegistry();
    const next = vi.fn();
    const palette = vi.fn();
    registry.register([
      { keys: "J", description: "Next", run: next },
      { keys: "Mod+K", description: "Palette", inFields: true, run: palette },
    ]);
    const input = field("INPUT");
    const typed = event("j", input);
    expect(registry.handle(typed, env)).toBe(false);
    expect(typed.defaultPrevented).toBe(false);
    expect(next).not.toHaveBeenCalled();
    registry.handle(event("k", input, { ctrlKey: true }), env);
    expect(palette).toHaveBeenCalledTimes(1);
  });
  it("does nothing behind a modal dialog", () => {
    const registry = new ShortcutRegistry();
    const run = vi.fn();
    registry.register([{ keys: "J", description: "Next", run }]);
    expect(registry.handle(event("j"), { mac: false, modalOpen: true })).toBe(false);
    expect(run).not.toHaveBeenCalled();
  });
  it("lets a key through when its handler returns false", () => {
    const registry = new ShortcutRegistry();
    const older = vi.fn();
    registry.register([{ keys: "Delete", description: "Delete", run: older }]);
    registry.register([{ keys: "Delete", description: "Maybe", run: () => false }]);
    const e = event("Delete");
    expect(registry.handle(e, env)).toBe(true);
    expect(older).toHaveBeenCalledTimes(1);
  });
  it("lists the keys in effect by scope, the newest scope first", () => {
    const registry = new ShortcutRegistry();
    const run = () => {};
    registry.register([
      { keys: "?", description: "Show keyboard shortcuts", scope: "Everywhere", run },
      { keys: "Mod+K", description: "Open the command palette", scope: "Everywhere", run },
    ]);
    registry.register([
      { keys: "J", description: "Next coding", scope: "Workspace", run },
      { keys: "K", description: "Previous coding", scope: "Workspace", run },
      { keys: "?", description: "Overridden", scope: "Workspace", run },
    ]);
    expect(
      registry.groups.map((g) => [g.scope, g.shortcuts.map((s) => s.keys)]),
    ).toEqual([
      ["Workspace", ["J", "K", "?"]],
      ["Everywhere", ["Mod+K"]],
    ]);
  });
});
