// What the screens need to know about jobs: labels, explanations, search. Which actions a job
// allows is not decided here: the backend sends them with every job (`actions`).
import type { ErrorCode, JobAction, JobState, JobSummary } from "./backend";
import { formatCount } from "./format";

export type Tone = "neutral" | "progress" | "success" | "warning" | "danger";

/** Each state's label (shown with its colour, never colour alone) and tone. */
export const STATE_INFO: Record<JobState, { label: string; tone: Tone }> = {
  queued: { label: "Waiting its turn", tone: "progress" },
  submitting: { label: "Sending", tone: "progress" },
  processing: { label: "Processing", tone: "progress" },
  ready: { label: "Ready to download", tone: "progress" },
  downloading: { label: "Downloading", tone: "progress" },
  downloaded: { label: "Downloaded", tone: "success" },
  no_results: { label: "No results", tone: "neutral" },
  too_many_matches: { label: "Too many matches", tone: "danger" },
  insufficient_credits: { label: "Not enough credits", tone: "warning" },
  expired: { label: "Expired", tone: "neutral" },
  uncertain: { label: "Needs checking", tone: "warning" },
  failed: { label: "Failed", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  // Never shown: a collection is shown in the state worked out from its batches.
  collection: { label: "In batches", tone: "progress" },
};

/** States in which a job changes without the user doing anything. */
export const ACTIVE: ReadonlySet<JobState> = new Set([
  "queued",
  "submitting",
  "processing",
  "ready",
  "downloading",
]);

/** How often a screen showing an active job reloads it, in case an engine update was missed. */
export const SAFETY_RELOAD_MS = 5_000;

/** States in which a toast says the job needs attention. */
export const FAILURE_STATES: ReadonlySet<JobState> = new Set([
  "failed",
  "insufficient_credits",
  "too_many_matches",
  "uncertain",
]);

/** A collection as the screens name it: its name, or "Collection 12" when it has none. */
export function collectionTitle(job: { id: number; name: string }): string {
  return job.name || `Collection ${job.id}`;
}

/** Whether the backend offers `action` for a job. */
export function allows(actions: readonly JobAction[], action: JobAction): boolean {
  return actions.includes(action);
}

/** States that are explained like an error (title and next step); others need no explanation. */
const STATE_PROBLEMS: Partial<Record<JobState, ErrorCode>> = {
  insufficient_credits: "InsufficientCredits",
  too_many_matches: "TooManyMatches",
  no_results: "NoResults",
  expired: "Expired",
  uncertain: "Uncertain",
};

/** The error code that explains where the job stands, if it stopped on a problem. */
export function problemCode(job: Pick<JobSummary, "state" | "error_code">): ErrorCode | null {
  const byState = STATE_PROBLEMS[job.state];
  if (byState) return byState;
  if (job.state === "failed") return job.error_code ?? "Internal";
  return null;
}

/** Jobs whose name, state (code or label) or number contains `search`. */
export function filterJobs(jobs: readonly JobSummary[], search: string): readonly JobSummary[] {
  const needle = search.trim().toLowerCase();
  if (needle === "") return jobs;
  return jobs.filter((job) =>
    [job.name, job.state, STATE_INFO[job.state].label, `#${job.id}`].some((field) =>
      field.toLowerCase().includes(needle),
    ),
  );
}

/** The rows of `list` with `changed` merged in by id (changed rows replace theirs), newest first. */
export function mergeJobs(
  list: readonly JobSummary[],
  changed: readonly JobSummary[],
): JobSummary[] {
  if (changed.length === 0) return [...list];
  const byId = new Map(list.map((job) => [job.id, job]));
  for (const job of changed) byId.set(job.id, job);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

/** The newest `updated_at` of `jobs` (RFC 3339 text, which sorts as time), or null if none. */
export function newestUpdate(jobs: readonly JobSummary[]): string | null {
  let newest: string | null = null;
  for (const job of jobs) if (newest === null || job.updated_at > newest) newest = job.updated_at;
  return newest;
}

/** The columns the job table sorts by. */
export type JobSortKey = "name" | "state" | "profiles" | "credits" | "date";

/** A sort: a column and a direction. */
export interface JobSort {
  key: JobSortKey;
  descending: boolean;
}

/** Newest first: the list's order when nothing else is chosen. */
export const DEFAULT_SORT: JobSort = { key: "date", descending: true };

/** Profiles a job has brought (downloaded), or is expected to bring. */
export function profilesOf(job: JobSummary): number {
  return job.records_downloaded > 0 ? job.records_downloaded : (job.estimated_records ?? 0);
}

/** Credits a job was charged; while that is not known yet, its estimate (profiles expected ×
 *  credits per profile at submission). */
export function creditsOf(job: JobSummary): number {
  return job.credits_charged ?? (job.estimated_records ?? 0) * job.credits_per_record;
}

/** The Credits column: what was charged ("0" for a job that delivered nothing), "about N" while
 *  the job is under way, "not known yet" while nobody knows whether Coresignal received it. */
export function creditsText(job: JobSummary): string {
  if (job.credits_charged !== null) return formatCount(job.credits_charged);
  if (job.state === "uncertain") return "not known yet";
  return `about ${formatCount(creditsOf(job))}`;
}

const SORT_VALUE: Record<JobSortKey, (job: JobSummary) => string | number> = {
  name: (job) => job.name.toLowerCase(),
  state: (job) => STATE_INFO[job.state].label,
  profiles: profilesOf,
  credits: creditsOf,
  // Job numbers grow with time, and unlike dates they never tie.
  date: (job) => job.id,
};

/** `jobs` sorted by `sort` (ties by job number, newest first); a new array. */
export function sortJobs(jobs: readonly JobSummary[], sort: JobSort): JobSummary[] {
  const value = SORT_VALUE[sort.key];
  const direction = sort.descending ? -1 : 1;
  return [...jobs].sort((a, b) => {
    const [left, right] = [value(a), value(b)];
    if (left < right) return -direction;
    if (left > right) return direction;
    return b.id - a.id;
  });
}

/** The state groups a person filters the table by. */
export const STATE_FILTERS = {
  all: { label: "All collections", has: () => true },
  running: { label: "Running", has: (state: JobState) => ACTIVE.has(state) },
  done: { label: "Downloaded", has: (state: JobState) => state === "downloaded" },
  attention: { label: "Needs attention", has: (state: JobState) => FAILURE_STATES.has(state) },
  ended: {
    label: "Ended without files",
    has: (state: JobState) =>
      ["no_results", "expired", "cancelled"].includes(state) && !FAILURE_STATES.has(state),
  },
} satisfies Record<string, { label: string; has: (state: JobState) => boolean }>;

/** A key of {@link STATE_FILTERS}. */
export type StateFilter = keyof typeof STATE_FILTERS;

/** How many of `jobs` are running (sent, processing or downloading). */
export function runningCount(jobs: readonly JobSummary[]): number {
  return jobs.filter((job) => ACTIVE.has(job.state)).length;
}
