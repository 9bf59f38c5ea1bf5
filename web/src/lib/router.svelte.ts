// Where the app is: the browser's URL as reactive state, and navigation without a reload.
// Every client-side path is also answered by the server with the app's page, so a reload
// or a shared link lands on the same screen.

class Location {
  path = $state(window.location.pathname);
  search = $state(window.location.search);

  get query(): URLSearchParams {
    return new URLSearchParams(this.search);
  }

  sync(): void {
    this.path = window.location.pathname;
    this.search = window.location.search;
  }
}

export const location = new Location();

/** Go to an app path (`/p/1/code/2?unit=4`). `replace` keeps the back button where it was. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  if (url.origin !== window.location.origin) {
    window.location.assign(to);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (options.replace) window.history.replaceState(null, "", target);
  else window.history.pushState(null, "", target);
  location.sync();
}

/** Change query parameters in place (a shareable view's settings), without a history entry. */
export function setQuery(changes: Record<string, string | null>): void {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === "") params.delete(key);
    else params.set(key, value);
  }
  const search = params.toString();
  navigate(window.location.pathname + (search ? `?${search}` : ""), { replace: true });
}

/** Same-origin links navigate in the app; new-tab clicks, downloads and other origins do not. */
export function interceptLinks(root: Document = document): () => void {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.("a");
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    // Server paths (API, downloads, explorer) are real page loads.
    if (/^\/(graphql|exports|healthz|readyz|assets)(\/|$)/.test(url.pathname)) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };
  const onPop = () => location.sync();
  root.addEventListener("click", onClick);
  window.addEventListener("popstate", onPop);
  return () => {
    root.removeEventListener("click", onClick);
    window.removeEventListener("popstate", onPop);
  };
}
