// The backend's AppState (mode, key hint, balance, settings), loaded once and replaced by commands.
import { appState, type AppState } from "../backend";
import { describeError, type ShownError } from "../errors";

class AppStore {
  state = $state<AppState | null>(null);
  loadError = $state<ShownError | null>(null);

  /** Loads the state from the backend; a failure is kept in `loadError`. */
  async load(): Promise<void> {
    try {
      this.state = await appState();
      this.loadError = null;
    } catch (error) {
      this.loadError = describeError(error);
    }
  }

  /** Takes the state a command returned. */
  set(state: AppState): void {
    this.state = state;
  }

  /** Records the balance the service last reported. */
  setBalance(credits: number): void {
    if (this.state) this.state.balance = credits;
  }
}

export const app = new AppStore();
