// The one place that turns a backend error code into plain words: a title and the next step.
// The backend's own message is shown under the title as the detail.
import { toBackendError, type ErrorCode } from "./backend";

export interface ErrorText {
  title: string;
  next: string;
}

/** Title and next step for every code the backend can send. */
export const ERROR_TEXT = {
  KeyMissing: {
    title: "No Coresignal API key is set.",
    next: "Open Settings and paste your API key, or switch to Practice mode.",
  },
  KeyRejected: {
    title: "Coresignal did not accept your API key.",
    next: "Open Settings and replace the key with a current one from your Coresignal account.",
  },
  KeychainUnavailable: {
    title: "The app cannot reach this computer's password store (keychain).",
    next: "Unlock the keychain or sign in to your desktop session again, then try once more.",
  },
  InsufficientCredits: {
    title: "Your Coresignal account does not have enough credits for this collection.",
    next: "Top up your Coresignal account, then try again.",
  },
  DuplicateInProgress: {
    title: "Coresignal is already preparing the same collection.",
    next: "Wait for it to finish in Collections; sending it again would not be accepted.",
  },
  TooManyIds: {
    title: "The file has more than 10,000 IDs.",
    next: "Split it into files of at most 10,000 IDs and collect each one.",
  },
  TooManyMatches: {
    title: "The search matches more than 10,000 profiles.",
    next: "Set a limit of at most 10,000, or narrow the search.",
  },
  RateLimited: {
    title: "Coresignal asked the app to slow down.",
    next: "Wait a minute and try again, or lower the requests per second in Settings.",
  },
  NoResults: {
    title: "Nothing matched this search or list.",
    next: "Change the search or the ID list. No credits were spent.",
  },
  Expired: {
    title: "Coresignal no longer keeps these files (older than 30 days).",
    next: "Files already downloaded stay on this computer. Collect it again to get fresh data.",
  },
  Network: {
    title: "The app could not reach Coresignal.",
    next: "Check the internet connection and the proxy in Settings, then try again.",
  },
  Server: {
    title: "Coresignal answered with an error.",
    next: "Try again in a few minutes. If it keeps happening, contact Coresignal support.",
  },
  InvalidQuery: {
    title: "The search query has a problem.",
    next: "Fix the place shown under the editor, or start from a template.",
  },
  InvalidIdFile: {
    title: "The ID file cannot be used.",
    next: "Choose a text or CSV file with one numeric ID per line.",
  },
  InvalidInput: {
    title: "Some of the details are not valid.",
    next: "Check the fields marked on the form and try again.",
  },
  Uncertain: {
    title: "We could not confirm Coresignal received this collection.",
    next: "It was not sent again. Open the collection: it says how to check your Coresignal account, and what you can do.",
  },
  NotFound: {
    title: "This item no longer exists.",
    next: "Go back to Collections and refresh the list.",
  },
  Download: {
    title: "A file could not be downloaded.",
    next: "Check the connection and free disk space, then press Retry.",
  },
  Storage: {
    title: "The app could not save its records on this computer.",
    next: "Check free disk space, then restart the app.",
  },
  Io: {
    title: "A file or folder could not be read or written.",
    next: "Check the download folder in Settings and that there is free disk space.",
  },
  Cancelled: {
    title: "The collection was cancelled.",
    next: "Start a new collection if you still need the data.",
  },
  TimedOut: {
    title: "Coresignal took too long to answer.",
    next: "Check the connection and try again in a moment.",
  },
  InvalidState: {
    title: "This is not possible for the collection right now.",
    next: "Open the collection again to see what it is doing, then try again.",
  },
  QuoteSpent: {
    title: "This collection was already sent.",
    next: "Nothing was sent or charged a second time. Open the collection to follow it.",
  },
  QuoteExpired: {
    title: "The price shown is more than 5 minutes old.",
    next: "The app checks the cost again; confirm the new price to send it.",
  },
  CollectedBefore: {
    title: "You already collected this data in the last 30 days.",
    next: "Open that collection to use its files, or confirm “Collect again” to pay for it again.",
  },
  Busy: {
    title: "Another window or the command line is working on this collection right now.",
    next: "Wait for it to finish, or close the other program, then try again.",
  },
  OverCap: {
    title: "This collection costs more than your limit per request.",
    next: "Check the credits, then confirm again to go ahead, or lower the limit of profiles.",
  },
  ConfirmationNeeded: {
    title: "This costs credits, and it was not confirmed.",
    next: "Read the cost, then confirm to go ahead.",
  },
  Declined: {
    title: "You said No, so nothing was done.",
    next: "Nothing more to do. Change the search or the settings if you like, and try again when you are ready.",
  },
  Internal: {
    title: "Something unexpected went wrong inside the app.",
    next: "Try again. If it keeps happening, restart the app and report the detail below.",
  },
} satisfies Record<ErrorCode, ErrorText>;

/** An error ready to show: code, title, the backend's detail and the next step. */
export interface ShownError extends ErrorText {
  code: string;
  detail: string;
  /** The job the error points at ("Open the collection"), if any. */
  job: number | null;
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_TEXT, code);
}

/** Turns anything a backend call threw into plain words (unknown codes read as Internal). */
export function describeError(error: unknown): ShownError {
  const backend = toBackendError(
    error instanceof Error && !("code" in error) ? error.message : error,
  );
  const text = isErrorCode(backend.code) ? ERROR_TEXT[backend.code] : ERROR_TEXT.Internal;
  return { code: backend.code, detail: backend.message, job: backend.job ?? null, ...text };
}
