// The person's display choices (theme, text size, line spacing, motion), kept in this
// browser's localStorage and applied to <html> as attributes the theme's CSS reads
// (web/src/app/theme.css). main.ts applies them before the first paint.

export type ThemeChoice = "system" | "light" | "dark";
export type LineSpacing = "compact" | "normal" | "relaxed";
export type MotionChoice = "system" | "reduce";

export interface DisplayPrefs {
  theme: ThemeChoice;
  /** Text size in per cent of the browser's own. */
  textSize: number;
  lineSpacing: LineSpacing;
  motion: MotionChoice;
}

export const TEXT_SIZES = [90, 100, 112.5, 125, 150] as const;
export const DEFAULT_PREFS: DisplayPrefs = {
  theme: "system",
  textSize: 100,
  lineSpacing: "normal",
  motion: "system",
};
export const STORAGE_KEY = "accord.display";

const LINE_HEIGHTS: Record<LineSpacing, { body: number; reading: number }> = {
  compact: { body: 1.35, reading: 1.5 },
  normal: { body: 1.5, reading: 1.7 },
  relaxed: { body: 1.75, reading: 2 },
};

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** Stored choices, each one checked: anything unknown falls back to the default. */
export function readPrefs(raw: string | null): DisplayPrefs {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === "object") stored = parsed as Record<string, unknown>;
  } catch {
    // A hand-edited or old value: start from the defaults.
  }
  return {
    theme: oneOf(stored.theme, ["system", "light", "dark"], DEFAULT_PREFS.theme),
    textSize: (TEXT_SIZES as readonly number[]).includes(stored.textSize as number)
      ? (stored.textSize as number)
      : DEFAULT_PREFS.textSize,
    lineSpacing: oneOf(stored.lineSpacing, ["compact", "normal", "relaxed"], "normal"),
    motion: oneOf(stored.motion, ["system", "reduce"], "system"),
  };
}

export interface SystemPrefs {
  dark: boolean;
  reduceMotion: boolean;
}

/** The attributes and properties that carry the choices to CSS. */
export function displayAttributes(prefs: DisplayPrefs, system: SystemPrefs) {
  const dark = prefs.theme === "dark" || (prefs.theme === "system" && system.dark);
  const spacing = LINE_HEIGHTS[prefs.lineSpacing];
  return {
    theme: dark ? "dark" : "light",
    motion: prefs.motion === "reduce" || system.reduceMotion ? "reduce" : "full",
    properties: {
      "--text-scale": String(prefs.textSize / 100),
      "--line-height": String(spacing.body),
      "--line-height-reading": String(spacing.reading),
    },
  } as const;
}

function systemPrefs(): SystemPrefs {
  const media = (q: string) => typeof matchMedia === "function" && matchMedia(q).matches;
  return {
    dark: media("(prefers-color-scheme: dark)"),
    reduceMotion: media("(prefers-reduced-motion: reduce)"),
  };
}

class Display {
  prefs: DisplayPrefs = $state(DEFAULT_PREFS);

  /** Read the stored choices, apply them, and follow the system's when set to "system". */
  start(): void {
    this.prefs = readPrefs(safeStorage()?.getItem(STORAGE_KEY) ?? null);
    this.apply();
    for (const query of ["(prefers-color-scheme: dark)", "(prefers-reduced-motion: reduce)"]) {
      matchMedia(query).addEventListener("change", () => this.apply());
    }
  }

  set(changes: Partial<DisplayPrefs>): void {
    this.prefs = { ...this.prefs, ...changes };
    safeStorage()?.setItem(STORAGE_KEY, JSON.stringify(this.prefs));
    this.apply();
  }

  /** The theme in effect now, "system" resolved. */
  get theme(): "light" | "dark" {
    return displayAttributes(this.prefs, systemPrefs()).theme;
  }

  apply(root: HTMLElement = document.documentElement): void {
    const attributes = displayAttributes(this.prefs, systemPrefs());
    root.dataset.theme = attributes.theme;
    root.dataset.motion = attributes.motion;
    for (const [name, value] of Object.entries(attributes.properties)) {
      root.style.setProperty(name, value);
    }
  }
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked: choices last for this page only
  }
}

export const display = new Display();
