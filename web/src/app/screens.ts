// Every screen of the app, by path. Each screen is its own chunk, loaded when first shown.
// Add a screen here; the server already answers every such path with the app's page.
import type { Component } from "svelte";
import type { Params } from "../lib/routes";

export interface Screen {
  pattern: string;
  /** Shown in the tab's title and announced on navigation. */
  title: string;
  /** Screens a visitor without a session may open. */
  public?: boolean;
  load: () => Promise<{ default: Component<{ params: Params }> }>;
}

export const screens: readonly Screen[] = [
  { pattern: "/", title: "Projects", load: () => import("./Home.svelte") },
  {
    pattern: "/p/:projectId/setup",
    title: "Project setup",
    load: () => import("../lead/setup/SetupScreen.svelte"),
  },
  {
    pattern: "/p/:projectId/setup/:section",
    title: "Project setup",
    load: () => import("../lead/setup/SetupScreen.svelte"),
  },
  {
    pattern: "/p/:projectId/progress",
    title: "Progress",
    load: () => import("../lead/progress/ProgressScreen.svelte"),
  },
  {
    pattern: "/p/:projectId/agreement",
    title: "Agreement",
    load: () => import("../lead/agreement/AgreementScreen.svelte"),
  },
];
