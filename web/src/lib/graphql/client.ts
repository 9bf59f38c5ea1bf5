// The one GraphQL client of the app: queries and mutations over HTTP with the session
// cookie, subscriptions over graphql-transport-ws on the same origin, reconnecting forever.
// Screens call `query`, `mutate` and `subscribe` with a typed document from generated.ts.
import {
  Client,
  type CombinedError,
  type TypedDocumentNode,
  fetchExchange,
  stringifyDocument,
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

function fail(error: CombinedError): never {
  const apiError = toApiError(error);
  for (const listener of failureListeners) listener(apiError);
  throw apiError;
}

export async function query<D, V extends Record<string, unknown>>(
  document: TypedDocumentNode<D, V>,
  variables: V,
): Promise<D> {
  const result = await client.query(document, variables).toPromise();
  if (result.error) fail(result.error);
  if (!result.data) throw new ApiError("The server sent no data.", "INTERNAL");
  return result.data;
}

export async function mutate<D, V extends Record<string, unknown>>(
  document: TypedDocumentNode<D, V>,
  variables: V,
): Promise<D> {
  const result = await client.mutation(document, variables).toPromise();
  if (result.error) fail(result.error);
  if (!result.data) throw new ApiError("The server sent no data.", "INTERNAL");
  return result.data;
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

/**
 * A mutation that sends files (a GraphQL multipart request): `files` maps each Upload
 * variable's name to its file. The server takes a multipart request with the session
 * cookie only with the `X-Accord-Upload` header, which a cross-site form cannot send.
 */
export async function upload<D, V extends Record<string, unknown>, F extends keyof V & string>(
  document: TypedDocumentNode<D, V>,
  variables: Omit<V, F>,
  files: Record<F, File>,
): Promise<D> {
  const form = new FormData();
  const names = Object.keys(files) as F[];
  const withNulls = { ...variables, ...Object.fromEntries(names.map((n) => [n, null])) };
  form.append("operations", JSON.stringify({ query: stringifyDocument(document), variables: withNulls }));
  form.append("map", JSON.stringify(Object.fromEntries(names.map((n, i) => [String(i), [`variables.${n}`]]))));
  names.forEach((name, i) => form.append(String(i), files[name] as File, (files[name] as File).name));
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { accept: "application/json", "x-accord-upload": "1" },
    });
  } catch {
    return reject(new ApiError("The server could not be reached.", "NETWORK"));
  }
  let body: { data?: D; errors?: { message: string; extensions?: { code?: string; requestId?: string } }[] };
  try {
    body = await response.json();
  } catch {
    return reject(new ApiError(`The upload failed (HTTP ${response.status}).`, response.status === 413 ? "TOO_LARGE" : "INTERNAL"));
  }
  const first = body.errors?.[0];
  if (first) {
    return reject(
      new ApiError(first.message, first.extensions?.code ?? "INTERNAL", first.extensions?.requestId ?? null),
    );
  }
  if (!body.data) return reject(new ApiError("The server sent no data.", "INTERNAL"));
  return body.data;
}

function reject(error: ApiError): never {
  for (const listener of failureListeners) listener(error);
  throw error;
}
