// What the screens need to know about jobs: labels, which actions apply, search, duplicates.
import type { ErrorCode, JobRow, JobState } from "./backend";

export type Tone = "neutral" | "progress" | "success" | "warning" | "danger";

/** Each state's label (shown with its colour, never colour alone) and tone. */
export const STATE_INFO: Record<JobState, { label: string; tone: Tone }> = {
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
};

/** States in which a job changes without the user doing anything. */
export const ACTIVE: ReadonlySet<JobState> = new Set([
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

const CANCELLABLE: ReadonlySet<JobState> = new Set([
  "processing",
  "ready",
  "downloading",
  "insufficient_credits",
  "uncertain",
]);

/** Retry makes sense after a top-up, or for a failure of a request the service accepted. */
export function canRetry(job: JobRow): boolean {
  return (
    job.state === "insufficient_credits" || (job.state === "failed" && job.request_id !== null)
  );
}

/** Cancel stops work the app is still doing (or waiting to do) for the job. */
export function canCancel(job: JobRow): boolean {
  return CANCELLABLE.has(job.state);
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
export function problemCode(job: JobRow): string | null {
  const byState = STATE_PROBLEMS[job.state];
  if (byState) return byState;
  if (job.state === "failed") return job.error_code ?? "Internal";
  return null;
}

/** Jobs whose name, state (code or label), request id or number contains `search`. */
export function filterJobs(jobs: readonly JobRow[], search: string): readonly JobRow[] {
  const needle = search.trim().toLowerCase();
  if (needle === "") return jobs;
  return jobs.filter((job) =>
    [job.name, job.state, STATE_INFO[job.state].label, job.request_id ?? "", `#${job.id}`].some(
      (field) => field.toLowerCase().includes(needle),
    ),
  );
}

/** A JSON text with object keys sorted, so equal queries compare equal; null if not JSON. */
export function canonicalJson(text: string): string | null {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (value !== null && typeof value === "object") {
      const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([key, item]) => [key, sort(item)]));
    }
    return value;
  };
  try {
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return null;
  }
}

/** The processing job that sends the same query and limit, if the history has one. */
export function findRunningTwin(
  jobs: readonly JobRow[],
  queryText: string,
  limit: number | null,
): JobRow | null {
  const wanted = canonicalJson(queryText);
  if (wanted === null) return null;
  return (
    jobs.find(
      (job) =>
        job.state === "processing" &&
        job.kind === "es_dsl" &&
        job.query_limit === limit &&
        job.query_json !== null &&
        canonicalJson(job.query_json) === wanted,
    ) ?? null
  );
}
