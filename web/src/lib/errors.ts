// What went wrong, in words for the person: a user error from a mutation's result union,
// an ApiError from a failed request, or anything else (a bug: the request id helps).
import { ApiError } from "./graphql/client";

export interface Problem {
  message: string;
  /** UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID_INPUT, CONFLICT, TOO_LARGE,
   * RATE_LIMITED, NETWORK or INTERNAL. */
  code: string;
  /** For INTERNAL errors: the id to quote when reporting it. */
  requestId: string | null;
  /** The input the server blamed, when it said. */
  field: string | null;
}

/** A member of a mutation's result union that is a user error (has `message` and a string `code`). */
export type UserErrorOf<T> = Extract<T, { message: string; code: string }>;

export function isUserError<T extends { __typename?: string }>(result: T): result is UserErrorOf<T> & T {
  const r = result as { message?: unknown; code?: unknown; __typename?: string };
  return typeof r.message === "string" && typeof r.code === "string" && !!r.__typename?.endsWith("Error");
}

const NETWORK_MESSAGE = "Accord could not reach its server. Check your connection and try again.";
const INTERNAL_MESSAGE = "Something went wrong on the server. Try again; if it keeps happening, report it with the request id.";

export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) {
    if (error.code === "NETWORK") {
      return { message: NETWORK_MESSAGE, code: "NETWORK", requestId: null, field: null };
    }
    if (error.code === "INTERNAL") {
      return { message: INTERNAL_MESSAGE, code: "INTERNAL", requestId: error.requestId, field: null };
    }
    return { message: error.message, code: error.code, requestId: error.requestId, field: null };
  }
  if (error && typeof error === "object" && "message" in error && "code" in error) {
    const e = error as { message: unknown; code: unknown; field?: unknown };
    if (typeof e.message === "string" && typeof e.code === "string") {
      const field = typeof e.field === "string" ? e.field : null;
      return { message: e.message, code: e.code, requestId: null, field };
    }
  }
  // A bug in the UI itself: say so plainly, and keep the detail for the console.
  console.error(error);
  return { message: INTERNAL_MESSAGE, code: "INTERNAL", requestId: null, field: null };
}
