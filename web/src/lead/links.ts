// Where the lead's screens link to in other parts of the app, to screens that exist.
import { screens } from "../app/screens";
import { buildPath, firstMatch } from "../lib/routes";

export function screenExists(path: string): boolean {
  return firstMatch(screens, path) !== null;
}

/** "Resolve" for a disagreement: the document's consensus review when that screen
 * exists, the document itself otherwise. */
export function resolveHref(projectId: string, documentId: string, itemKey: string | null): string {
  const review = buildPath("/p/:projectId/consensus/:documentId", { projectId, documentId });
  if (screenExists(review)) return itemKey ? `${review}?item=${encodeURIComponent(itemKey)}` : review;
  return buildPath("/p/:projectId/code/:documentId", { projectId, documentId });
}

export function projectPath(projectId: string, rest = ""): string {
  return `${buildPath("/p/:projectId", { projectId })}${rest}`;
}
