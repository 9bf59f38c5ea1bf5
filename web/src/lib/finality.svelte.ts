// Whether a project is final, and why: the one place screens ask before offering a change.
// A final project is read-only everywhere in the UI; the reason comes from the API
// (Project.finalization) and stays live through projectEvents. The API refuses every
// change to a final project anyway: this only keeps the UI from offering them.
import { mutate, onReconnect, query, subscribe } from "./graphql/client";
import { myProjects } from "./my-projects.svelte";
import {
  FinalityEventsDocument,
  FinalizeProjectDocument,
  ProjectFinalityDocument,
  UnfinalizeProjectDocument,
} from "./graphql/generated";

export interface FinalState {
  projectId: string;
  final: boolean;
  /** The caller may finalise and unfinalise (a lead). */
  canFinalize: boolean;
  /** When, by whom and why, as the API says (null unless final). */
  finalization: { at: string; rationale: string | null; by: { name: string } | null } | null;
}

export type Outcome = { ok: true } | { ok: false; message: string };

class Finality {
  state = $state<FinalState | null>(null);
  private stop: (() => void) | null = null;
  private watched: string | null = null;
  private watchers = 0;

  /** The project's state, or null until it is known. */
  of(projectId: string): FinalState | null {
    return this.state?.projectId === projectId ? this.state : null;
  }

  /** True when the project is known to be final: screens then offer no changes. */
  isFinal(projectId: string): boolean {
    return this.of(projectId)?.final ?? false;
  }

  async load(projectId: string): Promise<void> {
    const data = await query(ProjectFinalityDocument, { projectId });
    const wasFinal = this.state?.projectId === projectId ? this.state.final : null;
    this.state = {
      projectId,
      final: data.project.status === "FINAL",
      canFinalize: data.project.myRole === "LEAD",
      finalization: data.project.finalization,
    };
    // The header and project cards show the state too.
    if (wasFinal !== null && wasFinal !== this.state.final) void myProjects.refresh().catch(() => {});
  }

  /** Keep the state of `projectId` current while anyone watches; returns a function
   * that stops this watcher. */
  watch(projectId: string): () => void {
    if (this.watched !== projectId) {
      this.stop?.();
      this.watched = projectId;
      this.watchers = 0;
      const refresh = () => void this.load(projectId).catch(() => undefined);
      refresh();
      const unsubscribe = subscribe(FinalityEventsDocument, { projectId }, (data) => {
        const kind = data.projectEvents.kind;
        if (kind === "project.finalized" || kind === "project.unfinalized") refresh();
      });
      const offReconnect = onReconnect(refresh);
      this.stop = () => {
        unsubscribe();
        offReconnect();
      };
    }
    this.watchers += 1;
    let done = false;
    return () => {
      if (done || this.watched !== projectId) return;
      done = true;
      this.watchers -= 1;
      if (this.watchers === 0) {
        this.stop?.();
        this.stop = null;
        this.watched = null;
      }
    };
  }

  async finalize(projectId: string, rationale: string): Promise<Outcome> {
    const data = await mutate(FinalizeProjectDocument, {
      projectId,
      rationale: rationale.trim() || null,
    });
    const result = data.finalizeProject;
    if (result.__typename !== "Project") return { ok: false, message: result.message };
    await this.load(projectId);
    return { ok: true };
  }

  async unfinalize(projectId: string, rationale: string): Promise<Outcome> {
    const data = await mutate(UnfinalizeProjectDocument, { projectId, rationale });
    const result = data.unfinalizeProject;
    if (result.__typename !== "Project") return { ok: false, message: result.message };
    await this.load(projectId);
    return { ok: true };
  }
}

export const finality = new Finality();
