// The job history and the live progress the engine reports through `onJobUpdate`.
import { listJobs, type JobState, type JobSummary, type JobUpdate } from "../backend";
import { debounce } from "../debounce";
import { describeError, type ShownError } from "../errors";
import { collectionTitle, FAILURE_STATES, mergeJobs, newestUpdate, STATE_INFO } from "../jobs";
import { app } from "./app.svelte";
import { router } from "./router.svelte";
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
/** The whole list is read in pages of this many jobs. */
const PAGE_SIZE = 1000;
/** A refresh reloads the whole list when the last full load is older than this. */
const FULL_RELOAD_MS = 5 * 60_000;

class JobsStore {
  /** Newest first. Raw: 10,000 rows need no deep reactivity. */
  list = $state.raw<JobSummary[]>([]);
  loaded = $state(false);
  error = $state<ShownError | null>(null);
  /** Per job: when the next check happens (ms since epoch). */
  nextCheckAt = $state<Record<number, number>>({});
  /** Per job, per file name: download progress. */
  downloads = $state<Record<number, Record<string, FileProgress>>>({});
  /** Per job: bumped when its state or files change, so an open detail view reloads. */
  revisions = $state<Record<number, number>>({});

  /** The newest `updated_at` in the list: a refresh asks only for rows changed since. */
  private cursor: string | null = null;
  /** When the whole list was last loaded (ms since epoch). */
  private fullAt = 0;
  /** Bumped by every full load, so that older answers arriving late are dropped. */
  private generation = 0;
  /** The full load under way, if any. */
  private fullLoad: Promise<void> | null = null;

  private refreshSoon = debounce(() => void this.refresh(), REFRESH_DELAY_MS);

  /** Fetches what changed since the last load (the whole list the first time, and now and then). */
  async refresh(): Promise<void> {
    // A refresh during a full load waits for it, then asks for what changed meanwhile.
    if (this.fullLoad !== null) await this.fullLoad;
    const full = this.cursor === null || Date.now() - this.fullAt > FULL_RELOAD_MS;
    await this.load(full);
  }

  /** Fetches the whole list again (another mode, the Refresh button). */
  async reload(): Promise<void> {
    await this.load(true);
  }

  /** Forgets the list (tests, and before another mode's list is loaded). */
  clear(): void {
    this.generation += 1;
    this.list = [];
    this.loaded = false;
    this.error = null;
    this.cursor = null;
    this.fullAt = 0;
  }

  /** A job deleted through this screen leaves the list (a refresh no longer returns it). */
  remove(id: number): void {
    this.list = this.list.filter((job) => job.id !== id);
  }

  /** A job changed through this screen (submitted, cancelled, …): fetch it and reload views. */
  changed(id: number): void {
    this.bump(id);
    void this.refresh();
  }

  private async load(full: boolean): Promise<void> {
    if (full) {
      this.generation += 1;
      this.cursor = null;
    }
    const generation = this.generation;
    const since = this.cursor;
    try {
      let cursor: string | null;
      if (since === null) {
        const pages = this.loadPages(generation);
        this.fullLoad = pages.then(
          () => undefined,
          () => undefined,
        );
        cursor = await pages;
      } else {
        const rows = await listJobs({ changedSince: since });
        if (generation !== this.generation) return; // a full load started meanwhile: it wins
        this.list = mergeJobs(this.list, rows);
        cursor = newestUpdate(this.list);
      }
      if (generation !== this.generation) return;
      this.cursor = cursor;
      if (since === null) this.fullAt = Date.now();
      this.error = null;
    } catch (error) {
      if (generation === this.generation) this.error = describeError(error);
    } finally {
      if (generation === this.generation) {
        this.loaded = true;
        if (since === null) this.fullLoad = null;
      }
    }
  }

  /** The whole list, a page at a time (newest first): the first page shows at once, and no
   * answer is big enough to hold the window up. Returns the refresh cursor: the newest change on
   * the first page, so that a job changed on an earlier page while later pages were read is
   * still asked for by the next refresh. */
  private async loadPages(generation: number): Promise<string | null> {
    let before: number | null = null;
    let cursor: string | null = null;
    let first = true;
    for (;;) {
      const page = await listJobs({ before, limit: PAGE_SIZE });
      if (generation !== this.generation) return cursor;
      this.list = mergeJobs(first ? [] : this.list, page);
      this.loaded = true;
      if (first) cursor = newestUpdate(page);
      first = false;
      const last = page.at(-1);
      if (page.length < PAGE_SIZE || last === undefined) return cursor;
      before = last.id;
    }
  }

  /** Applies one engine update. */
  handle(update: JobUpdate): void {
    switch (update.type) {
      case "state":
        // A batch's own move only refreshes its page; its collection's update is the news.
        if (update.batch_of === null) this.onState(update.job, update.state);
        else {
          // Its collection's page (batches, people) shows it too.
          this.bump(update.job);
          this.bump(update.batch_of);
        }
        break;
      case "polled":
        this.nextCheckAt[update.job] = Date.now() + update.next_check_in_secs * 1000;
        break;
      case "download":
        this.onDownload(update);
        break;
      case "exported":
        this.bump(update.job);
        this.refreshSoon();
        break;
      case "balance":
        app.setBalance(update.credits);
        break;
    }
  }

  private onState(id: number, state: JobState): void {
    this.bump(id);
    this.refreshSoon();
    const name = collectionTitle({ id, name: this.list.find((job) => job.id === id)?.name ?? "" });
    const route = router.route;
    const onScreen = route.screen === "job" ? route.id : null;
    if (state === "downloaded") {
      toasts.push({ tone: "success", message: `“${name}” is downloaded.`, jobId: id }, onScreen);
    } else if (FAILURE_STATES.has(state)) {
      const label = STATE_INFO[state].label.toLowerCase();
      toasts.push({ tone: "danger", message: `“${name}” stopped: ${label}.`, jobId: id }, onScreen);
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
