// The "choose a password" forms (invitation, reset, account): what the rules are, and
// which field each problem belongs next to. Plain functions, tested without a browser.

/** The rules, said before anyone types (the server checks the same ones). */
export function passwordRules(minLength: number): string {
  return `At least ${minLength} characters. Very common passwords are refused. A long phrase of a few words is easy to remember.`;
}

/** The problem with the repeated password, or null when it matches. */
export function repeatProblem(password: string, repeat: string): string | null {
  if (repeat === "") return "Type the password a second time.";
  return password === repeat ? null : "The two passwords differ. Type the same password twice.";
}

/** A user error from the server, with the input it blamed when it said. */
export interface ServerProblem {
  message: string;
  code: string;
  field?: string | null;
}

/**
 * Sort a server's problem between the form's fields: `fields` maps the server's field
 * names to the form's. A problem whose field the form does not show stays general.
 */
export function placeProblem<F extends string>(
  problem: ServerProblem,
  fields: Record<string, F>,
): { field: F; message: string } | { field: null; message: string } {
  const field = problem.field ? fields[problem.field] : undefined;
  return field ? { field, message: problem.message } : { field: null, message: problem.message };
}
