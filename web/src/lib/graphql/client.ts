// The one GraphQL client of the app: queries and mutations over HTTP with the session
// cookie, subscriptions over graphql-transport-ws on the same origin, reconnecting forever.
// Screens call `query`, `mutate` and `subscribe` with a typed document from generated.ts.
// A request refused because the session expired waits for the person to log in again
// (lib/session.svelte.ts shows the dialog) and is then sent again.
import {
  Client,
  type CombinedError,
  stringifyDocument,
  type TypedDocumentNode,
  fetchExchange,
  subscriptionExchange,
} from "@urql/core";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";

/** A request that failed as a whole: not a user error (those come back as union members). */
export class ApiError extends Error {
  constructor(
    message: string,
    /** extensions.code: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID_INPUT, ..., or NETWORK. */
    readonly code: string,
    /** The server's request id for an unexpected error, to quote when reporting it. */
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Listener = (error: ApiError) => void;
const failureListeners = new Set<Listener>();

/** Hear about every failed request (the session watches for UNAUTHENTICATED). */
export function onFailure(listener: Listener): () => void {
  failureListeners.add(listener);
  return () => failureListeners.delete(listener);
}

function wsUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/graphql`;
}

let wsClient: WsClient | null = null;
const reconnectListeners = new Set<() => void>();

/** Run `listener` each time the subscription socket comes back after a drop, so a screen
 * can refetch what it may have missed. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

function socket(): WsClient {
  if (wsClient) return wsClient;
  let connectedBefore = false;
  wsClient = createWsClient({
    url: wsUrl(),
    lazy: true,
    // The session cookie goes with the upgrade request; no token in the payload.
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const ms = Math.min(30_000, 500 * 2 ** Math.min(retries, 6)) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    on: {
      connected: () => {
        if (connectedBefore) for (const listener of reconnectListeners) listener();
        connectedBefore = true;
      },
    },
  });
  return wsClient;
}

/** Close the socket (on logout), so the next subscription opens one with the new cookie. */
export function resetSocket(): void {
  wsClient?.dispose();
  wsClient = null;
}

export const client = new Client({
  url: "/graphql",
  // No cache: every screen shows what the API returns now.
  requestPolicy: "network-only",
  preferGetMethod: false,
  fetchOptions: () => ({ credentials: "same-origin", headers: { accept: "application/json" } }),
  exchanges: [
    fetchExchange,
    subscriptionExchange({
      forwardSubscription(request) {
        const input = { ...request, query: request.query ?? "" };
        return {
          subscribe(sink) {
            const unsubscribe = socket().subscribe(input, sink);
            return { unsubscribe };
          },
        };
      },
    }),
  ],
});

function toApiError(error: CombinedError): ApiError {
  if (error.networkError) {
    return new ApiError("The server could not be reached.", "NETWORK");
  }
  const first = error.graphQLErrors[0];
  const extensions = (first?.extensions ?? {}) as { code?: unknown; requestId?: unknown };
  return new ApiError(
    first?.message ?? error.message,
    typeof extensions.code === "string" ? extensions.code : "INTERNAL",
    typeof extensions.requestId === "string" ? extensions.requestId : null,
  );
}

function fail(apiError: ApiError): never {
  for (const listener of failureListeners) listener(apiError);
  throw apiError;
}

export interface RequestOptions {
  /** A request that needs no session (login, an invitation): an UNAUTHENTICATED answer is
   * its answer, not a sign that the session expired. */
  anonymous?: boolean;
}

/** Asked when a request is refused as UNAUTHENTICATED: resolves true once the session is
 * back (the request is then sent again), false when the answer stands. */
export type SessionGuard = () => Promise<boolean>;
let sessionGuard: SessionGuard | null = null;

/** The session module installs its guard here, so an expired session is re-authenticated
 * in place and the refused request retried: no unsent work is lost. */
export function guardSession(guard: SessionGuard | null): void {
  sessionGuard = guard;
}

async function sessionIsBack(options: RequestOptions): Promise<boolean> {
  return !options.anonymous && sessionGuard !== null && (await sessionGuard());
}

/** Mutations answer a missing session with an UnauthenticatedError member, as data. */
function refusedUnauthenticated(data: unknown): boolean {
  if (!data || typeof data !== "object") return false;
  return Object.values(data).some(
    (field) =>
      !!field &&
      typeof field === "object" &&
      (field as { __typename?: unknown }).__typename === "UnauthenticatedError",
  );
}

/** A field the schema makes nullable because some callers may not read it (null with an
 * error at its path): `query` throws on that error, so here it is present. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new ApiError(`The server sent no ${what}.`, "INTERNAL");
  return value;
}

export async function query<D, V extends Record<string, unknown>>(
  document: TypedDocumentNode<D, V>,
  variables: V,
  options: RequestOptions = {},
): Promise<D> {
  for (;;) {
    const result = await client.query(document, variables).toPromise();
    if (result.error) {
      const apiError = toApiError(result.error);
      if (apiError.code === "UNAUTHENTICATED" && (await sessionIsBack(options))) continue;
      fail(apiError);
    }
    if (!result.data) throw new ApiError("The server sent no data.", "INTERNAL");
    return result.data;
  }
}

export async function mutate<D, V extends Record<string, unknown>>(
  document: TypedDocumentNode<D, V>,
  variables: V,
  options: RequestOptions = {},
): Promise<D> {
  for (;;) {
    const result = await client.mutation(document, variables).toPromise();
    if (result.error) {
      const apiError = toApiError(result.error);
      if (apiError.code === "UNAUTHENTICATED" && (await sessionIsBack(options))) continue;
      fail(apiError);
    }
    if (!result.data) throw new ApiError("The server sent no data.", "INTERNAL");
    if (refusedUnauthenticated(result.data) && (await sessionIsBack(options))) continue;
    return result.data;
  }
}

/** Listen to a subscription until the returned function is called. */
export function subscribe<D, V extends Record<string, unknown>>(
  document: TypedDocumentNode<D, V>,
  variables: V,
  onData: (data: D) => void,
  onError?: (error: ApiError) => void,
): () => void {
  const { unsubscribe } = client.subscription(document, variables).subscribe((result) => {
    if (result.error) onError?.(toApiError(result.error));
    else if (result.data) onData(result.data);
  });
  return unsubscribe;
}

/** A mutation with files (importFile, importProject) as a GraphQL multipart request.
 * Every `File` among the top-level variables is sent as a part; the server asks for the
 * `X-Accord-Upload` header so a cross-site form cannot post one with the cookie. */
export async function upload<D, V extends Record<string, unknown>>(
  document: TypedDocumentNode<D, V>,
  variables: V,
  options: RequestOptions = {},
): Promise<D> {
  const files = Object.entries(variables).filter(
    (entry): entry is [string, File] => entry[1] instanceof File,
  );
  for (;;) {
    const body = new FormData();
    const plain = { ...variables } as Record<string, unknown>;
    for (const [name] of files) plain[name] = null;
    body.append("operations", JSON.stringify({ query: stringifyDocument(document), variables: plain }));
    body.append(
      "map",
      JSON.stringify(Object.fromEntries(files.map(([name], i) => [String(i), [`variables.${name}`]]))),
    );
    files.forEach(([, file], i) => body.append(String(i), file, file.name));
    let response: Response;
    try {
      response = await fetch("/graphql", {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { accept: "application/json", "x-accord-upload": "1" },
      });
    } catch {
      fail(new ApiError("The server could not be reached.", "NETWORK"));
    }
    const answer = (await response.json().catch(() => null)) as {
      data?: D;
      errors?: { message: string; extensions?: { code?: string; requestId?: string } }[];
    } | null;
    const first = answer?.errors?.[0];
    if (first || !answer?.data) {
      const apiError = new ApiError(
        first?.message ?? `The upload failed (HTTP ${response.status}).`,
        first?.extensions?.code ?? (response.status === 413 ? "TOO_LARGE" : "INTERNAL"),
        first?.extensions?.requestId ?? null,
      );
      if (apiError.code === "UNAUTHENTICATED" && (await sessionIsBack(options))) continue;
      fail(apiError);
    }
    if (refusedUnauthenticated(answer.data) && (await sessionIsBack(options))) continue;
    return answer.data;
  }
}
