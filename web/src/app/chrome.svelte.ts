// Which of the app's own dialogs are open (the command palette's state is in
// lib/commands.svelte.ts). Screens open them through these functions.
export const chrome = $state({ shortcutsOpen: false, displayOpen: false });

export function showShortcuts(): void {
  chrome.shortcutsOpen = true;
}

export function showDisplaySettings(): void {
  chrome.displayOpen = true;
}
