// Every screen of the app, by path. Each screen is its own chunk, loaded when first shown.
// Add a screen here; the server already answers every such path with the app's page.
// A screen under /p/:projectId with `nav` appears in the project's navigation for the
// roles it names (docs/ui-conventions.md).
import type { Component } from "svelte";
import type { Role } from "../lib/graphql/generated";
import type { Params } from "../lib/routes";

export interface Screen {
  pattern: string;
  /** Shown in the tab's title and announced on navigation. */
  title: string;
  /** Screens a visitor without a session may open; drawn without the app's header. */
  public?: boolean;
  /** A link in the project's navigation: its label, and the roles that can use it. */
  nav?: { label: string; roles: readonly Role[] };
  load: () => Promise<{ default: Component<{ params: Params }> }>;
}

const EVERYONE: readonly Role[] = ["LEAD", "CODER", "VIEWER"];
const LEADS_AND_VIEWERS: readonly Role[] = ["LEAD", "VIEWER"];

export const screens: readonly Screen[] = [
  { pattern: "/", title: "Projects", load: () => import("../projects/Projects.svelte") },
  {
    pattern: "/login",
    title: "Log in",
    public: true,
    load: () => import("../auth/Login.svelte"),
  },
  {
    pattern: "/invite/:token",
    title: "Invitation",
    public: true,
    load: () => import("../auth/InviteScreen.svelte"),
  },
  {
    pattern: "/reset/:token",
    title: "Choose a new password",
    public: true,
    load: () => import("../auth/ResetScreen.svelte"),
  },
  { pattern: "/account", title: "Your account", load: () => import("../auth/AccountScreen.svelte") },
  { pattern: "/admin", title: "Administration", load: () => import("../admin/AdminScreen.svelte") },
  {
    pattern: "/projects/import",
    title: "Import a project",
    load: () => import("../lead/import/ImportProjectScreen.svelte"),
  },
  {
    pattern: "/p/:projectId",
    title: "Project",
    nav: { label: "Overview", roles: EVERYONE },
    load: () => import("../projects/ProjectHome.svelte"),
  },
  {
    pattern: "/p/:projectId/code/:documentId",
    title: "Coding",
    load: () => import("../coder/Workspace.svelte"),
  },
  {
    pattern: "/p/:projectId/setup",
    title: "Project setup",
    nav: { label: "Setup", roles: LEADS_AND_VIEWERS },
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
    nav: { label: "Progress", roles: LEADS_AND_VIEWERS },
    load: () => import("../lead/progress/ProgressScreen.svelte"),
  },
  {
    pattern: "/p/:projectId/agreement",
    title: "Agreement",
    nav: { label: "Agreement", roles: LEADS_AND_VIEWERS },
    load: () => import("../lead/agreement/AgreementScreen.svelte"),
  },
  {
    pattern: "/p/:projectId/exports",
    title: "Exports and logs",
    nav: { label: "Exports and logs", roles: LEADS_AND_VIEWERS },
    load: () => import("../lead/exports/ExportsScreen.svelte"),
  },
  {
    pattern: "/p/:projectId/consensus",
    title: "Consensus",
    nav: { label: "Consensus", roles: ["LEAD", "VIEWER"] },
    load: () => import("../consensus/ConsensusHub.svelte"),
  },
  {
    pattern: "/p/:projectId/consensus/:documentId",
    title: "Consensus review",
    load: () => import("../consensus/ConsensusScreen.svelte"),
  },
  {
    pattern: "/p/:projectId/synthesis",
    title: "Synthesis",
    nav: { label: "Synthesis", roles: EVERYONE },
    load: () => import("../consensus/SynthesisScreen.svelte"),
  },
];
