// In-app notices about jobs finishing or failing. Good news goes away by itself; a problem stays
// until dismissed. A notice about the job on screen is not shown: the page already says it.

export interface Toast {
  id: number;
  tone: "success" | "danger";
  message: string;
  jobId: number | null;
}

/** At most this many notices are kept; older ones drop off. */
const MAX_TOASTS = 5;

/** How long good news stays on screen, in milliseconds. */
export const SUCCESS_TOAST_MS = 8_000;

class Toasts {
  items = $state<Toast[]>([]);
  private nextId = 1;

  /** Shows a notice, unless it is about `onScreen` (the job the person is looking at). */
  push(toast: Omit<Toast, "id">, onScreen: number | null = null): void {
    if (toast.jobId !== null && toast.jobId === onScreen) return;
    const id = this.nextId++;
    this.items = [...this.items, { ...toast, id }].slice(-MAX_TOASTS);
    if (toast.tone === "success") setTimeout(() => this.dismiss(id), SUCCESS_TOAST_MS);
  }

  /** Removes a notice. */
  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
  }

  /** Removes the notices about job `jobId` (its page is now on screen and says it). */
  dismissAbout(jobId: number): void {
    if (this.items.some((toast) => toast.jobId === jobId)) {
      this.items = this.items.filter((toast) => toast.jobId !== jobId);
    }
  }
}

export const toasts = new Toasts();
