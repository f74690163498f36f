// The job history and the live progress the engine reports through `onJobUpdate`.
import { listJobs, type JobRow, type JobUpdate } from "../backend";
import { debounce } from "../debounce";
import { describeError, type ShownError } from "../errors";
import { FAILURE_STATES, STATE_INFO } from "../jobs";
import { app } from "./app.svelte";
import { toasts } from "./toasts.svelte";

/** One file's download as last reported. */
export interface FileProgress {
  done: number;
  total: number | null;
  /** Bytes per second, smoothed; null until two reports arrived. */
  speed: number | null;
  at: number;
}

/** How long state updates are gathered before the list is fetched again. */
const REFRESH_DELAY_MS = 400;

class JobsStore {
  /** Newest first. Raw: 10,000 rows need no deep reactivity. */
  list = $state.raw<JobRow[]>([]);
  loaded = $state(false);
  error = $state<ShownError | null>(null);
  /** Per job: when the next check happens (ms since epoch). */
  nextCheckAt = $state<Record<number, number>>({});
  /** Per job, per file name: download progress. */
  downloads = $state<Record<number, Record<string, FileProgress>>>({});
  /** Per job: bumped when its state or files change, so an open detail view reloads. */
  revisions = $state<Record<number, number>>({});

  private refreshSoon = debounce(() => void this.refresh(), REFRESH_DELAY_MS);

  /** Fetches the history again. */
  async refresh(): Promise<void> {
    try {
      this.list = await listJobs();
      this.error = null;
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.loaded = true;
    }
  }

  /** Puts a job the backend just returned into the list (before the next refresh). */
  upsert(job: JobRow): void {
    const rest = this.list.filter((row) => row.id !== job.id);
    this.list = [job, ...rest].sort((a, b) => b.id - a.id);
    this.bump(job.id);
  }

  /** Applies one engine update. */
  handle(update: JobUpdate): void {
    switch (update.type) {
      case "state":
        this.onState(update.job, update.state);
        break;
      case "polled":
        this.nextCheckAt[update.job] = Date.now() + update.next_check_in_secs * 1000;
        break;
      case "download":
        this.onDownload(update);
        break;
      case "balance":
        app.setBalance(update.credits);
        break;
    }
  }

  private onState(id: number, state: JobRow["state"]): void {
    this.bump(id);
    this.refreshSoon();
    const name = this.list.find((job) => job.id === id)?.name || `Job #${id}`;
    if (state === "downloaded") {
      toasts.push({ tone: "success", message: `“${name}” is downloaded.`, jobId: id });
    } else if (FAILURE_STATES.has(state)) {
      const label = STATE_INFO[state].label.toLowerCase();
      toasts.push({ tone: "danger", message: `“${name}” stopped: ${label}.`, jobId: id });
    }
  }

  private onDownload(update: Extract<JobUpdate, { type: "download" }>): void {
    const now = Date.now();
    const files = (this.downloads[update.job] ??= {});
    const before = files[update.file];
    let speed: number | null = null;
    if (before && now > before.at) {
      const instant = ((update.bytes_done - before.done) * 1000) / (now - before.at);
      speed = before.speed === null ? instant : before.speed * 0.7 + instant * 0.3;
    }
    files[update.file] = { done: update.bytes_done, total: update.bytes_total, speed, at: now };
    if (update.bytes_total !== null && update.bytes_done >= update.bytes_total) {
      this.bump(update.job);
    }
  }

  private bump(id: number): void {
    this.revisions[id] = (this.revisions[id] ?? 0) + 1;
  }
}

export const jobs = new JobsStore();
