// The caller's projects (name, role, state), for the header's project switcher, the
// project navigation (which screens a role can use) and the command palette. Screens
// that create, rename or leave a project call `refresh()`.
import { query } from "./graphql/client";
import { ProjectListDocument, type ProjectListQuery } from "./graphql/generated";

export type ProjectSummary = ProjectListQuery["projects"][number];

class MyProjects {
  list: ProjectSummary[] = $state([]);
  loaded = $state(false);
  #pending: Promise<void> | null = null;

  byId(id: string | undefined): ProjectSummary | undefined {
    return id ? this.list.find((p) => p.id === id) : undefined;
  }

  refresh(): Promise<void> {
    this.#pending ??= query(ProjectListDocument, {})
      .then((data) => {
        this.list = data.projects;
        this.loaded = true;
      })
      .finally(() => {
        this.#pending = null;
      });
    return this.#pending;
  }

  /** Forget them (on logout: the next person has their own). */
  clear(): void {
    this.list = [];
    this.loaded = false;
  }
}

export const myProjects = new MyProjects();
