// Test setup: the Tauri bridge is faked (vite.config.ts aliases it to fakeTauri.ts) and the app's
// stores start empty.
import { beforeEach } from "vitest";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import { jobs } from "../lib/stores/jobs.svelte";
import { router } from "../lib/stores/router.svelte";
import { toasts } from "../lib/stores/toasts.svelte";
import { resetFake } from "./fakeTauri";

// jsdom has no layout; CodeMirror measures text ranges, which then read as empty.
Range.prototype.getClientRects = () => [] as unknown as DOMRectList;
Range.prototype.getBoundingClientRect = () => new DOMRect();

beforeEach(() => {
  resetFake();
  app.state = null;
  app.loadError = null;
  draft.reset();
  draft.tab = "search";
  jobs.clear();
  toasts.items = [];
  router.go({ screen: "new" });
});

// jsdom has no matchMedia; the app reads the OS colour scheme through it. A light OS is assumed.
if (!window.matchMedia) {
  window.matchMedia = (query: string): MediaQueryList =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => {},
      removeEventListener: () => {},
      addListener: () => {},
      removeListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
