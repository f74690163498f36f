// The only module that talks to Rust. Screens import from here, never from @tauri-apps/*.
// Types come from `./bindings`, generated from the Rust types (ts-rs); `make test` checks for drift.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import type {
  AppState,
  ConnectionCheck,
  CreditLedger,
  CreditsPerProfile,
  Counts,
  Deleted,
  ExportFormat,
  ImportProgress,
  ImportReport,
  JobDetail,
  JobRow,
  JobSummary,
  JobUpdate,
  HeaderChoice,
  LibraryPage,
  CompanyReport,
  ListOpened,
  ListPick,
  ListPreview,
  LookupProgress,
  Mode,
  PeopleExported,
  PeoplePage,
  PeopleQuery,
  PastedSearch,
  PeopleSelection,
  PersonDetails,
  Preview,
  PreviewQuote,
  ProxyPasswordChange,
  QueryCatalogue,
  QueryCheck,
  QueryInBuilder,
  Quote,
  SavedSearch,
  TeamPasswordChange,
  TeamSection,
  TeamSettings,
  Search,
  SearchRequest,
  SearchToSave,
  Settings,
  WhatChanged,
} from "./bindings";

export type * from "./bindings";

/** The `{code, message, job?}` every Rust error (`UserError`) becomes at the boundary. */
export class BackendError extends Error {
  /** The job the error points at (the running twin of a 409, the earlier job, …), if any. */
  readonly job?: number;

  constructor(
    readonly code: string,
    message: string,
    job?: number,
  ) {
    super(message);
    this.name = "BackendError";
    if (job !== undefined) this.job = job;
  }
}

/** Turns whatever a command rejected with into a {@link BackendError}. */
export function toBackendError(value: unknown): BackendError {
  if (value instanceof BackendError) return value;
  if (typeof value === "object" && value !== null && "code" in value && "message" in value) {
    const { code, message, job } = value as { code: unknown; message: unknown; job?: unknown };
    const jobId = typeof job === "number" && Number.isInteger(job) ? job : undefined;
    return new BackendError(String(code), String(message), jobId);
  }
  return new BackendError("Internal", String(value));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}

/** Where the app stands: mode (null on first run), key hint, balance, settings. */
export const appState = () => call<AppState>("app_state");

/** Enters Practice mode (starts the simulator on this computer) or Live mode (needs a stored key). */
export const chooseMode = (mode: Mode) => call<AppState>("choose_mode", { mode });

/** Verifies a pasted key with the service, then stores it in the OS keychain and enters Live mode. */
export const saveKey = (key: string) => call<AppState>("save_key", { key });

/** Removes the key from the OS keychain (Live mode ends). */
export const removeKey = () => call<AppState>("remove_key");

/** Parses and lints an ES DSL query: formatted text, warnings, or the error with line/column/path. */
export const checkQuery = (text: string) => call<QueryCheck>("check_query", { text });

/** The field catalogue (labels, help, kinds, known values), builder conditions, query types, starters. */
export const queryFields = () => call<QueryCatalogue>("query_fields");

/**
 * The formatted query code for a builder search. Rules without a value are left out; a search with
 * no rule left rejects with `InvalidQuery` (never a "match everything" query).
 */
export const builderToQuery = (search: Search) => call<string>("builder_to_query", { search });

/** Reads query code into the builder: `{kind: "shown", search}` or `{kind: "not_shown", reason}`. */
export const queryToBuilder = (text: string) => call<QueryInBuilder>("query_to_builder", { text });
/** A paste read as a cURL command or request body from Coresignal (the key in it dropped by
 *  Rust); null when it is neither. */
export const readPastedSearch = (text: string) =>
  call<PastedSearch | null>("read_pasted_search", { text });

/** Prices a search: matches, profiles, credits, earlier jobs with the same data (spends nothing). */
export const estimate = (request: SearchRequest) => call<Quote>("estimate", { request });

/** Prices the request of a quote again (after `QuoteExpired`): a new quote to confirm. */
export const requote = (quote: number) => call<Quote>("requote", { quote });

/** The price of a quote's request for everyone, people already in the library included. */
export const requoteEveryone = (quote: number) => call<Quote>("requote_everyone", { quote });

/** *Update*: the price of a finished collection's search or list again, new and changed only. */
export const quoteUpdate = (id: number) => call<Quote>("quote_update", { id });

/** *What changed* since the collection an update refreshes; null for any other collection. */
export const whatChanged = (id: number) => call<WhatChanged | null>("what_changed", { id });

/** Opens the native file chooser (in Rust) and reads the list (CSV, TSV, TXT, XLSX, XLS, ODS); null if cancelled. */
export const openList = () => call<ListOpened | null>("open_list");

/** Reads cells pasted from a spreadsheet (or one value a line). */
export const pasteList = (text: string) => call<ListOpened>("paste_list", { text });

/** The columns of an opened list with the header row and the column the person chose. */
export const previewList = (token: string, header: HeaderChoice, column: number | null) =>
  call<ListPreview>("preview_list", { token, header, column });

/**
 * Finds the people a column names (free searches; progress as `list-lookup` events) and prices
 * collecting them: the report by row, then the quote to confirm.
 */
export const resolveList = (token: string, header: HeaderChoice, column: number) =>
  call<ListPick>("resolve_list", { token, header, column });

/**
 * Reads a column as companies and counts each (free searches; progress as `list-lookup` events):
 * the report, with the builder group "current company is any of" when one search holds them all.
 */
export const companySearch = (token: string, header: HeaderChoice, column: number) =>
  call<CompanyReport>("company_search", { token, header, column });

/** The price of everyone at a companies list too long for one search, as one collection. */
export const quoteCompanies = (token: string) => call<Quote>("quote_companies", { token });

/** Asks where to save (in Rust) and writes the rows not found as a CSV; null if cancelled. */
export const saveNotFound = (token: string) => call<string | null>("save_not_found", { token });

/**
 * Sends the request of a confirmed quote, once. Only call after the user confirmed it; `again`
 * must be true when `quote.earlier` is not empty (the user confirmed "Collect again"); `overCap`
 * must be `quote.credits` when `quote.over_cap` is set (the user confirmed a second time).
 */
export const submit = (quote: number, again: boolean, overCap: number | null = null) =>
  call<JobRow>("submit", overCap === null ? { quote, again } : { quote, again, overCap });

/** What a preview of 20 sample people costs now (`credits` 0: free, nothing to confirm). */
export const previewCost = () => call<PreviewQuote>("preview_cost");

/**
 * Up to 20 sample people the query matches. A preview that costs credits runs only after the
 * person says yes in the computer's own window, which Rust opens, naming the credits (a No is
 * `Declined`); nothing the webview sends can stand in for that yes.
 */
export const previewPeople = (queryText: string) => call<Preview>("preview_people", { queryText });

/** What a profile costs: the plan setting, the latest measured figure, and which prices use. */
export const creditsPerProfile = () => call<CreditsPerProfile>("credits_per_profile");

/** Opens Coresignal's page on topping up credits in the browser (the address is fixed in Rust). */
export const openTopUpPage = () => call<void>("open_top_up_page");

/** Credits spent in this mode: per job (measured or estimated), per month, in total. */
export const creditLedger = () => call<CreditLedger>("credit_ledger");

/** Which part of the job list to read. */
export interface ListQuery {
  /** Only jobs changed at or after this time (a previous answer's newest `updated_at`). */
  changedSince?: string | null;
  /** Only jobs numbered below this one (the last row of the previous page). */
  before?: number | null;
  /** At most this many jobs. */
  limit?: number | null;
}

/** This mode's jobs, newest first: those changed since a time, and/or one page. */
export const listJobs = ({ changedSince = null, before = null, limit = null }: ListQuery = {}) =>
  call<JobSummary[]>("list_jobs", { changedSince, before, limit });

/** One job with its actions, files, timeline and the date its files must be downloaded by. */
export const jobDetail = (id: number) => call<JobDetail>("job_detail", { id });

/** One page of the people a job brought (searched, sorted and paged in Rust). */
export const peoplePage = (id: number, query: PeopleQuery) =>
  call<PeoplePage>("people_page", { id, query });

/** Stops polling/downloading a job. */
export const cancelJob = (id: number) => call<JobRow>("cancel_job", { id });

/** Tries again where that cannot spend twice (after a top-up, a failed download). */
export const retryJob = (id: number) => call<JobRow>("retry_job", { id });

/** "I found it": attaches the request id from the Coresignal dashboard to an uncertain job. */
export const attachRequest = (id: number, requestId: string) =>
  call<JobRow>("attach_request", { id, requestId });

/** "Send again" for an uncertain job: a quote to confirm (with `again`), never a submission. */
export const sendAgain = (id: number) => call<Quote>("send_again", { id });

/** Opens the job's download folder in the file manager. */
export const openFolder = (id: number) => call<void>("open_folder", { id });

/** Opens the job's spreadsheet in the program the computer uses for spreadsheets. */
export const openSpreadsheet = (id: number) => call<void>("open_spreadsheet", { id });

/**
 * Saves the settings and what to do with the proxy password (kept in the OS keychain; the app state
 * only says whether one is saved). Returns the new app state. The service address is not a setting.
 */
export const saveSettings = (settings: Settings, proxyPassword: ProxyPasswordChange = "keep") =>
  call<AppState>("save_settings", { settings, proxyPassword });

/** Opens the native folder picker (in Rust); null if cancelled. */
export const pickDownloadFolder = () => call<string | null>("pick_download_folder");

/** Every saved search, by name. */
export const savedSearches = () => call<SavedSearch[]>("saved_searches");

/** Saves a search (new when `id` is null); refused while its query has errors. */
export const saveSearch = (search: SearchToSave) => call<SavedSearch>("save_search", { search });

/** Saves a copy of a saved search, named "… (copy)". */
export const duplicateSearch = (id: number) => call<SavedSearch>("duplicate_search", { id });

/** Deletes a saved search. */
export const deleteSearch = (id: number) => call<void>("delete_search", { id });

/** Asks where to save (in Rust) and writes the searches (all when `ids` is empty); null if cancelled. */
export const exportSearches = (ids: number[] = []) =>
  call<string | null>("export_searches", { ids });

/** Asks for a file of searches (in Rust) and saves what it holds; null if cancelled. */
export const importSearches = () => call<ImportReport | null>("import_searches");

/** Checks that the service answers with the current key and proxy. */
export const testConnection = () => call<ConnectionCheck>("test_connection");

/** Settings' Team section; with `ask`, whether the team library answers (a few seconds at most). */
export const teamSection = (ask: boolean) => call<TeamSection>("team_section", { ask });

/** Saves the team library's address, name and password (to the keychain), then checks it. */
export const saveTeam = (settings: TeamSettings, password: TeamPasswordChange) =>
  call<TeamSection>("save_team", { settings, password });

/** Stops using the team library; what waits to be published stays queued. */
export const leaveTeam = () => call<TeamSection>("leave_team");

/** Deletes a finished collection from the list; without `keepPeople`, forgets the people only it brought. */
export const deleteJob = (id: number, keepPeople: boolean) =>
  call<Deleted>("delete_job", { id, keepPeople });

/** Page `page` (from 1, 100 a page) of the people library, searched by name, title, company, country. */
export const searchPeople = (text: string, page: number) =>
  call<LibraryPage>("search_people", { text: text.trim() === "" ? null : text, page });

/** The countries and companies with the most people the same search finds. */
export const peopleCounts = (text: string) =>
  call<Counts>("people_counts", { text: text.trim() === "" ? null : text });

/** One person of the people library; null when no longer kept. */
export const personDetails = (id: number) => call<PersonDetails | null>("person_details", { id });

/** Forgets a person (deletes their copy; only a note that it happened is kept). */
export const forgetPerson = (id: number) => call<boolean>("forget_person", { id });

/** Asks where to save (in Rust), then writes the chosen people as a spreadsheet; null if cancelled. */
export const exportPeople = (selection: PeopleSelection, format: ExportFormat) =>
  call<PeopleExported | null>("export_people", { selection, format });

/** How far the start-up import of earlier collections has come; null before it starts. */
export const libraryImportStatus = () => call<ImportProgress | null>("library_import_status");

/** Calls `handler` as the import of earlier collections moves on; returns a function that stops listening. */
export async function onLibraryImport(
  handler: (progress: ImportProgress) => void,
): Promise<() => void> {
  return listen<ImportProgress>("library-import", (event) => handler(event.payload));
}

/** Calls `handler` as a list's lookup moves on; returns a function that stops listening. */
export async function onListLookup(
  handler: (progress: LookupProgress) => void,
): Promise<() => void> {
  return listen<LookupProgress>("list-lookup", (event) => handler(event.payload));
}

/** Calls `handler` for every job update the engine emits; returns a function that stops listening. */
export async function onJobUpdate(handler: (update: JobUpdate) => void): Promise<() => void> {
  return listen<JobUpdate>("job-update", (event) => handler(event.payload));
}
