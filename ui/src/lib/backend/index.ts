// The only module that talks to Rust. Screens import from here, never from @tauri-apps/*.
import { invoke } from "@tauri-apps/api/core";

/** The `{code, message}` every Rust error becomes at the boundary. */
export class BackendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "BackendError";
  }
}

/** Turns whatever a command rejected with into a {@link BackendError}. */
export function toBackendError(value: unknown): BackendError {
  if (value instanceof BackendError) return value;
  if (typeof value === "object" && value !== null && "code" in value && "message" in value) {
    const { code, message } = value as { code: unknown; message: unknown };
    return new BackendError(String(code), String(message));
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

/** What the app shell reports about itself. */
export interface AppInfo {
  version: string;
  mode: "practice" | "live";
  dataDir: string;
}

/** Reads the app's version, mode and data folder. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}
