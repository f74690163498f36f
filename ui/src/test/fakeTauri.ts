// A stand-in for the Tauri bridge in tests. The real Rust commands cannot run inside Vitest, so the
// tests replace `invoke`/`listen` (vite.config.ts aliases the Tauri modules here) and script each command's answer here. Everything
// above the bridge (src/lib/backend, stores, screens) runs for real.
import { vi } from "vitest";
import type {
  AppState,
  JobDetail,
  JobRow,
  JobSummary,
  JobUpdate,
  ListColumn,
  ListOpened,
  ListPick,
  ListPreview,
  ListReport,
  QueryCatalogue,
  Quote,
} from "../lib/backend";

type Handler = (args: Record<string, unknown>) => unknown;

const handlers = new Map<string, Handler>();
const listeners = new Map<string, (payload: unknown) => void>();

/** Every command call, in order. */
export const calls = vi.fn<(command: string, args: Record<string, unknown>) => void>();

/** Answers `command` with `handler` (its return value, or its throw as the rejection). */
export function on(command: string, handler: Handler): void {
  handlers.set(command, handler);
}

/** Forgets every scripted answer and call. */
export function resetFake(): void {
  handlers.clear();
  calls.mockClear();
  listeners.clear();
}

/** What the mocked `invoke` does. */
export async function invoke(
  command: string,
  args: Record<string, unknown> = {},
): Promise<unknown> {
  calls(command, args);
  const handler = handlers.get(command);
  if (!handler) throw { code: "Internal", message: `no fake for ${command}` };
  return handler(args);
}

/** What the mocked `listen` does: keeps the handler (one per event) so tests can emit events. */
export async function listen<T>(
  event: string,
  handler: (event: { payload: T }) => void,
): Promise<() => void> {
  const listener = (payload: unknown) => handler({ payload: payload as T });
  listeners.set(event, listener);
  return () => {
    if (listeners.get(event) === listener) listeners.delete(event);
  };
}

/** Sends a job update as the engine would. */
export function emit(update: JobUpdate): void {
  listeners.get("job-update")?.(update);
}

/** Sends any event as Rust would. */
export function emitEvent(event: string, payload: unknown): void {
  listeners.get(event)?.(payload);
}

/** An app state with sensible defaults. */
export function appStateFixture(overrides: Partial<AppState> = {}): AppState {
  return {
    version: "0.1.0",
    mode: "practice",
    key_hint: null,
    proxy_password_set: false,
    key_rejected: false,
    balance: 5000,
    data_dir: "/home/user/.local/share/bulk-collect",
    settings: {
      credits_per_record: 1,
      requests_per_second: 10,
      max_downloads: 3,
      batches_at_once: 2,
      export_after_download: true,
      past_positions: 3,
      download_root: "/home/user/Downloads/Bulk Collect",
      proxy: null,
      theme: "system",
      check_for_updates: true,
      preview_credits: 10,
      credit_cap: null,
      price_per_credit: null,
      plan_known: true,
    },
    ...overrides,
  };
}

/** A job row with sensible defaults. */
export function jobFixture(overrides: Partial<JobRow> = {}): JobRow {
  const id = overrides.id ?? 1;
  return {
    id,
    mode: "practice",
    name: `Job ${id}`,
    kind: "es_dsl",
    state: "processing",
    state_reason: null,
    query_json: '{"query":{"match":{"job_title":"engineer"}}}',
    query_limit: null,
    ids_count: null,
    source_file: null,
    webhook_url: null,
    fingerprint: `fp-${id}`,
    request_id: `req-${id}`,
    estimated_records: 100,
    credits_per_record: 1,
    download_dir: `/downloads/${id}`,
    created_at: "2026-03-01T10:00:00Z",
    submitted_at: "2026-03-01T10:00:01Z",
    updated_at: "2026-03-01T10:00:02Z",
    next_poll_at: null,
    poll_count: 0,
    error_code: null,
    quote_id: id,
    poll_failures: 0,
    request_attached: false,
    export_path: null,
    parent_id: null,
    batch_index: null,
    ...overrides,
  };
}

/** A job list row with sensible defaults (the same job as {@link jobFixture}). */
export function summaryFixture(overrides: Partial<JobSummary> = {}): JobSummary {
  const id = overrides.id ?? 1;
  return {
    id,
    name: `Job ${id}`,
    kind: "es_dsl",
    state: "processing",
    state_reason: null,
    estimated_records: 100,
    credits_per_record: 1,
    records_downloaded: 0,
    created_at: "2026-03-01T10:00:00Z",
    updated_at: "2026-03-01T10:00:02Z",
    next_poll_at: null,
    error_code: null,
    actions: ["cancel", "open_folder"],
    has_spreadsheet: false,
    batches: null,
    credits_charged: null,
    ...overrides,
  };
}

/** A quote with sensible defaults: 1,751 profiles for 1,751 credits, nothing collected before. */
export function quoteFixture(overrides: Partial<Quote> = {}): Quote {
  const records = overrides.records ?? 1751;
  const credits = overrides.credits ?? records;
  const balance = overrides.balance === undefined ? 5000 : overrides.balance;
  // As the core says it: a known balance below the price is a shortfall (never in Practice).
  const shortfall =
    balance !== null && balance < credits && overrides.practice !== true
      ? {
          needs: credits,
          has: balance,
          message: `This needs ${credits.toLocaleString("en-US")} credits; you have ${balance.toLocaleString("en-US")}.`,
          top_up_url: "https://docs.coresignal.com/guides/understanding-credits-and-billing",
        }
      : null;
  return {
    id: 11,
    kind: "es_dsl",
    name: "Engineers",
    matches: records,
    records,
    credits: records,
    credits_per_record: 1,
    credits_basis: "setting",
    credits_note: "1 credit per profile, from your plan setting.",
    practice: false,
    shortfall,
    over_cap: null,
    balance: 5000,
    expires_at: "2099-01-01T00:00:00Z",
    earlier: [],
    replaces_job: null,
    question: `Collect ${records.toLocaleString("en-US")} profiles for ${records.toLocaleString("en-US")} credits?`,
    batches: 1,
    split: null,
    library_note: null,
    team: null,
    ...overrides,
  };
}

/** A column of a list (a column of LinkedIn profile addresses unless told). */
export function columnFixture(overrides: Partial<ListColumn> = {}): ListColumn {
  return {
    index: 0,
    name: "LinkedIn URL",
    kind: "profile_addresses",
    samples: ["https://www.linkedin.com/in/ada-lovelace/", "linkedin.com/in/grace", "alan-t"],
    usable: 40,
    filled: 41,
    ...overrides,
  };
}

/** A CRM export's preview: names, a company, the LinkedIn column (detected), header on row 1. */
export function listPreviewFixture(overrides: Partial<ListPreview> = {}): ListPreview {
  return {
    source: "crm-export.csv",
    sheet: null,
    header_row: 1,
    header_detected: true,
    data_rows: 42,
    columns: [
      columnFixture({ index: 0, name: "First name", kind: "other", samples: ["Ada"], usable: 0 }),
      columnFixture({
        index: 1,
        name: "Company",
        kind: "companies",
        samples: ["Acme", "Globex"],
        usable: 42,
        filled: 42,
      }),
      columnFixture({ index: 2 }),
      columnFixture({
        index: 3,
        name: "CRM id",
        kind: "employee_ids",
        samples: ["1001", "1002"],
        usable: 42,
        filled: 42,
      }),
    ],
    chosen: 2,
    ...overrides,
  };
}

/** A list just opened. */
export function listOpenedFixture(overrides: Partial<ListPreview> = {}): ListOpened {
  return { token: "list-1", preview: listPreviewFixture(overrides) };
}

/** The report of the CRM export's LinkedIn column: one row of each outcome. */
export function listReportFixture(overrides: Partial<ListReport> = {}): ListReport {
  return {
    source: "crm-export.csv",
    column: "LinkedIn URL",
    rows: 41,
    found: 37,
    people: 36,
    given_ids: 0,
    looked_up: 40,
    not_found: [{ row: 7, value: "linkedin.com/in/nobody-here" }],
    duplicates: [{ row: 9, value: "alan-t", id: 3003, first_row: 4 }],
    several: [
      {
        row: 12,
        value: "linkedin.com/in/sam",
        ids: [5005, 5006],
        chosen: 5006,
        reason: "5006 uses this address now; 5005 used it before.",
      },
    ],
    problems: [
      {
        row: 15,
        column: "LinkedIn URL",
        text: "https://www.linkedin.com/company/acme/",
        reason: "This is a company page, not a person's profile.",
      },
    ],
    blank: 1,
    searches: 3,
    summary: "37 of 41 rows found 36 people; 1 is not in Coresignal's data.",
    ...overrides,
  };
}

/** The CRM export's LinkedIn column looked up and priced (36 people). */
export function listPickFixture(overrides: Partial<ListPick> = {}): ListPick {
  return {
    report: listReportFixture(),
    quote: quoteFixture({ id: 3, kind: "id_file", name: "crm-export.csv", records: 36 }),
    batches_message: null,
    ...overrides,
  };
}

/** A job detail with sensible defaults: no files, no events. */
export function detailFixture(overrides: Partial<JobDetail> = {}): JobDetail {
  return {
    job: jobFixture(),
    actions: [],
    files: [],
    events: [],
    download_before: null,
    records_downloaded: 0,
    batches: [],
    spreadsheet_missing: null,
    batch_count: null,
    typical_wait: null,
    not_enough_credits: null,
    ...overrides,
  };
}

/** A small field catalogue shaped like the one Rust sends, with one starter search. */
export const catalogueFixture: QueryCatalogue = {
  fields: [
    fieldFixture("job_title", "Current job title", "text"),
    fieldFixture("location_country", "Country", "keyword", ["Germany", "France"]),
    fieldFixture("is_working", "Currently working", "yes_no"),
    fieldFixture("last_updated", "Profile last updated", "date"),
    {
      ...fieldFixture("experience.company_name", "Company (current or past)", "text"),
      nested: "experience",
    },
    { ...fieldFixture("full_name", "Full name", "text"), builder: false },
  ],
  conditions: [
    { condition: "contains", kind: "text", label: "mentions", values: "one" },
    { condition: "is_phrase", kind: "text", label: "mentions the exact phrase", values: "one" },
    { condition: "is_one_of", kind: "keyword", label: "is any of", values: "many" },
    { condition: "on_or_after", kind: "date", label: "is on or after", values: "one" },
    { condition: "on_or_before", kind: "date", label: "is on or before", values: "one" },
    { condition: "is_yes", kind: "yes_no", label: "is yes", values: "none" },
    { condition: "is_no", kind: "yes_no", label: "is no", values: "none" },
  ],
  query_types: [],
  spreadsheet: {
    first: ["Person ID", "Full name", "Headline", "Current title", "Current company"],
    per_position: ["Past position N: title", "Past position N: company"],
    education: ["Highest education: institution", "Highest education: degree"],
  },
  spreadsheet_note:
    "No e-mail addresses or phone numbers: Coresignal's employee data does not include them.",
  starters: [
    {
      id: "python-germany",
      label: "Python developers in Germany",
      description: "People in Germany with the skill python.",
      search: {
        groups: [
          {
            mode: "all",
            rules: [{ field: "location_country", condition: "is_one_of", values: ["Germany"] }],
          },
        ],
      },
    },
  ],
};

function fieldFixture(
  name: string,
  label: string,
  kind: QueryCatalogue["fields"][number]["kind"],
  known_values: string[] = [],
) {
  return { name, label, help: `${label}.`, kind, nested: null, known_values, builder: true };
}
