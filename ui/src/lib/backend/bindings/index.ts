// Barrel of the types ts-rs generates from the Rust side (`cargo test` writes the files beside this one).
// Add a line here when a new Rust type gets #[ts(export)]; svelte-check fails on a missing one.
export type { AppState } from "./AppState";
export type { ConnectionCheck } from "./ConnectionCheck";
export type { CostEstimate } from "./CostEstimate";
export type { ErrorCode } from "./ErrorCode";
export type { EventKind } from "./EventKind";
export type { FileRow } from "./FileRow";
export type { FileState } from "./FileState";
export type { IdFilePick } from "./IdFilePick";
export type { JobDetail } from "./JobDetail";
export type { JobEvent } from "./JobEvent";
export type { JobKind } from "./JobKind";
export type { JobRow } from "./JobRow";
export type { JobState } from "./JobState";
export type { JobUpdate } from "./JobUpdate";
export type { LineProblem } from "./LineProblem";
export type { Mode } from "./Mode";
export type { ProxyPasswordChange } from "./ProxyPasswordChange";
export type { QueryCheck } from "./QueryCheck";
export type { QueryProblem } from "./QueryProblem";
export type { QueryWarning } from "./QueryWarning";
export type { Settings } from "./Settings";
export type { SubmitIds } from "./SubmitIds";
export type { SubmitQuery } from "./SubmitQuery";
export type { Theme } from "./Theme";
export type { UserError } from "./UserError";
