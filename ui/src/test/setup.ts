// Test setup: the Tauri bridge is faked (see fakeTauri.ts) and the app's stores start empty.
import { beforeEach, vi } from "vitest";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import { jobs } from "../lib/stores/jobs.svelte";
import { router } from "../lib/stores/router.svelte";
import { toasts } from "../lib/stores/toasts.svelte";
import { resetFake } from "./fakeTauri";

vi.mock("@tauri-apps/api/core", async () => ({ invoke: (await import("./fakeTauri")).invoke }));
vi.mock("@tauri-apps/api/event", async () => ({ listen: (await import("./fakeTauri")).listen }));

// jsdom has no layout; CodeMirror measures text ranges, which then read as empty.
Range.prototype.getClientRects = () => [] as unknown as DOMRectList;
Range.prototype.getBoundingClientRect = () => new DOMRect();

beforeEach(() => {
  resetFake();
  app.state = null;
  app.loadError = null;
  draft.reset();
  draft.tab = "search";
  jobs.list = [];
  jobs.loaded = false;
  jobs.error = null;
  toasts.items = [];
  router.go({ screen: "new" });
});
