// The project's navigation: the screens of screens.ts under /p/:projectId that the
// caller's role can use. Plain functions, tested without a browser.
import type { Role } from "../lib/graphql/generated";
import { buildPath } from "../lib/routes";

export interface NavLink {
  label: string;
  href: string;
}

const PROJECT_PREFIX = "/p/:projectId";

export function projectLinks(
  screens: readonly { pattern: string; nav?: { label: string; roles: readonly Role[] } }[],
  projectId: string,
  role: Role | undefined,
): NavLink[] {
  if (!role) return [];
  return screens
    .filter(
      (s) =>
        s.nav?.roles.includes(role) &&
        (s.pattern === PROJECT_PREFIX || s.pattern.startsWith(`${PROJECT_PREFIX}/`)) &&
        // A link needs every parameter: /p/:projectId/code/:documentId cannot be one.
        !s.pattern.slice(PROJECT_PREFIX.length).includes(":"),
    )
    .map((s) => ({ label: s.nav?.label ?? "", href: buildPath(s.pattern, { projectId }) }));
}

/** The link for the screen at `path`: the longest link that is `path` or above it. The
 * project's home is current only on itself (a workspace is not its overview). */
export function currentLink(links: readonly NavLink[], path: string): NavLink | null {
  const clean = path.length > 1 ? path.replace(/\/+$/, "") : path;
  let best: NavLink | null = null;
  for (const link of links) {
    const below = clean.startsWith(`${link.href}/`) && link.href.split("/").length > 3;
    if (clean === link.href || below) {
      if (!best || link.href.length > best.href.length) best = link;
    }
  }
  return best;
}
