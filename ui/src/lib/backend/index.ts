// The only module that talks to Rust. Screens import from here, never from @tauri-apps/*.
import { invoke } from "@tauri-apps/api/core";

/** What the app shell reports about itself. */
export interface AppInfo {
  version: string;
  mode: "practice" | "live";
  dataDir: string;
}

/** Reads the app's version, mode and data folder. */
export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>("app_info");
}
