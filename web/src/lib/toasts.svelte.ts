// Short notices at the corner of the screen ("Coding deleted · Undo"), each also said to
// screen readers. A notice with an action stays longer and while the pointer or the
// focus is on it; Undo is also reachable by keyboard in the toast region.
import { announce } from "./announce.svelte";

export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  message: string;
  kind: "info" | "success" | "error";
  action: ToastAction | null;
  /** How long it stays, in milliseconds, when nothing holds it. */
  timeout: number;
}

export interface ToastOptions {
  kind?: Toast["kind"];
  action?: ToastAction;
  timeout?: number;
}

class Toasts {
  items: Toast[] = $state([]);
  #next = 1;

  show(message: string, options: ToastOptions = {}): number {
    const action = options.action ?? null;
    const toast: Toast = {
      id: this.#next++,
      message,
      kind: options.kind ?? "info",
      action,
      timeout: options.timeout ?? (action ? 10_000 : 5_000),
    };
    // At most a handful at once: the oldest go first.
    this.items = [...this.items.slice(-3), toast];
    announce(action ? `${message}. ${action.label} is available in the notifications.` : message);
    return toast.id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();

/** Show a notice: `toast("Coding deleted", { action: { label: "Undo", run: undo } })`. */
export function toast(message: string, options: ToastOptions = {}): number {
  return toasts.show(message, options);
}
