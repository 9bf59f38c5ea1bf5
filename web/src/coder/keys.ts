// The workspace's keys: one list drives the key handler's help, the "?" list and the
// user guide's table.
export interface KeyHelp {
  keys: string;
  what: string;
  /** The keys as the shortcut registry writes them; the first is listed under `?`. */
  spec: readonly string[];
}

export const WORKSPACE_KEYS: readonly KeyHelp[] = [
  { keys: "Shift+← / →", what: "Extend the selection by a character (never half an emoji)", spec: ["Shift+ArrowRight", "Shift+ArrowLeft"] },
  { keys: "Ctrl+Shift+← / →", what: "Extend the selection by a word", spec: ["Mod+Shift+ArrowRight", "Mod+Shift+ArrowLeft"] },
  { keys: "Shift+↑ / ↓", what: "Extend the selection by a line", spec: ["Shift+ArrowDown", "Shift+ArrowUp"] },
  { keys: "Alt+↑ / ↓", what: "Select the whole turn (again: the previous or next one)", spec: ["Alt+ArrowDown", "Alt+ArrowUp"] },
  { keys: "← → ↑ ↓, Home, End", what: "Move the caret in the transcript", spec: ["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp", "Home", "End", "Mod+ArrowRight", "Mod+ArrowLeft"] },
  { keys: "/ or Enter", what: "Find a code (fuzzy search with definition, inclusion, exclusion)", spec: ["/", "Enter"] },
  { keys: "Enter (in the search)", what: "Apply the code to the selection", spec: [] },
  { keys: "Shift+Enter", what: "Apply and write a memo on the new coding (on a coding: its memo)", spec: ["Shift+Enter"] },
  { keys: "1 … 9", what: "Apply a pinned code", spec: ["1", "2", "3", "4", "5", "6", "7", "8", "9"] },
  { keys: ".", what: "Apply the last code again", spec: ["."] },
  { keys: "Esc", what: "Clear the selection (it stays until then, for several codes)", spec: ["Escape"] },
  { keys: "J / K", what: "Next / previous coding", spec: ["J", "K"] },
  { keys: "O", what: "Cycle the codings that overlap here", spec: ["O"] },
  { keys: "[ / ]", what: "Pick the start / end of the selected coding; then ← → move it", spec: ["[", "]"] },
  { keys: "Delete", what: "Delete the selected coding (Undo in the message)", spec: ["Delete", "Backspace"] },
  { keys: "Ctrl+Z / Ctrl+Shift+Z", what: "Undo / redo", spec: ["Mod+Z", "Mod+Shift+Z", "Mod+Y"] },
  { keys: "M", what: "Write the memo of the selected coding", spec: ["M"] },
];
