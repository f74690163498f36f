// In-app notices about jobs finishing or failing; they stay until dismissed.

export interface Toast {
  id: number;
  tone: "success" | "danger";
  message: string;
  jobId: number | null;
}

/** At most this many notices are kept; older ones drop off. */
const MAX_TOASTS = 5;

class Toasts {
  items = $state<Toast[]>([]);
  private nextId = 1;

  /** Shows a notice. */
  push(toast: Omit<Toast, "id">): void {
    this.items = [...this.items, { ...toast, id: this.nextId++ }].slice(-MAX_TOASTS);
  }

  /** Removes a notice. */
  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
  }
}

export const toasts = new Toasts();
