// Path patterns of the app and matching them: plain functions, tested without a browser.

export type Params = Record<string, string>;

/** `/p/:projectId/code/:documentId` against a path: the named segments, or null. */
export function matchPath(pattern: string, path: string): Params | null {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] as string;
    const value = have[i] as string;
    if (part.startsWith(":")) {
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) {
      return null;
    }
  }
  return params;
}

/** A path from a pattern and its parameters, each segment encoded. */
export function buildPath(pattern: string, params: Params): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`buildPath: no value for :${name} in ${pattern}`);
    return encodeURIComponent(value);
  });
}

/** The first of `patterns` that matches, with its parameters. */
export function firstMatch<T extends { pattern: string }>(
  routes: readonly T[],
  path: string,
): { route: T; params: Params } | null {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

/** Where to go after logging in: `next` when it is a path of this app, else the projects.
 * Anything else (another site, `//host`, a server path) would make the login page an
 * open redirect. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (/^\/(graphql|exports|healthz|readyz|assets|api)(\/|$|\?)/.test(next)) return "/";
  if (next === "/login" || next.startsWith("/login?")) return "/";
  return next;
}
