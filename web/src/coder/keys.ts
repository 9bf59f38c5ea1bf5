// The workspace's keys: one list drives the key handler's help, the "?" list and the
// user guide's table.
export interface KeyHelp {
  keys: string;
  what: string;
}

export const WORKSPACE_KEYS: readonly KeyHelp[] = [
  { keys: "Shift+← / →", what: "Extend the selection by a character (never half an emoji)" },
  { keys: "Ctrl+Shift+← / →", what: "Extend the selection by a word" },
  { keys: "Shift+↑ / ↓", what: "Extend the selection by a line" },
  { keys: "Alt+↑ / ↓", what: "Select the whole turn (again: the previous or next one)" },
  { keys: "← → ↑ ↓, Home, End", what: "Move the caret in the transcript" },
  { keys: "/ or Enter", what: "Find a code (fuzzy search with definition, inclusion, exclusion)" },
  { keys: "Enter (in the search)", what: "Apply the code to the selection" },
  { keys: "Shift+Enter", what: "Apply and write a memo on the new coding (on a coding: its memo)" },
  { keys: "1 … 9", what: "Apply a pinned code" },
  { keys: ".", what: "Apply the last code again" },
  { keys: "Esc", what: "Clear the selection (it stays until then, for several codes)" },
  { keys: "J / K", what: "Next / previous coding" },
  { keys: "O", what: "Cycle the codings that overlap here" },
  { keys: "[ / ]", what: "Pick the start / end of the selected coding; then ← → move it" },
  { keys: "Delete", what: "Delete the selected coding (Undo in the message)" },
  { keys: "Ctrl+Z / Ctrl+Shift+Z", what: "Undo / redo" },
  { keys: "M", what: "Write the memo of the selected coding" },
  { keys: "?", what: "Show these keys" },
];
