// Shared by the New collection screen's tests: a scripted backend, the screen started on a query,
// and the steps to a confirmation.
import { fireEvent, render, screen } from "@testing-library/svelte";
import type { Quote } from "../lib/backend";
import NewCollection from "../screens/NewCollection.svelte";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import { appStateFixture, calls, on, quoteFixture } from "./fakeTauri";

export const QUERY = '{"query": {"match": {"job_title": "engineer"}}}';
export const quote = quoteFixture();
export const EARLIER = {
  id: 4,
  name: "Engineers in March",
  state: "downloaded" as const,
  sent_at: "2026-02-20T09:00:00Z",
  records: 1751,
};

export function scriptBackend(answer: Quote = quote) {
  on("check_query", ({ text }) => ({
    pretty: String(text),
    warnings: [],
    error: null,
    diagnostics: [],
  }));
  on("estimate", () => answer);
  on("list_jobs", () => []);
}

export function start(mode: "live" | "practice" = "live", answer: Quote = quote) {
  app.set(appStateFixture({ mode }));
  scriptBackend(answer);
  draft.queryText = QUERY;
  return render(NewCollection);
}

export const collectButton = () => screen.getByTestId("collect-button");
export const submits = () => calls.mock.calls.filter(([command]) => command === "submit");

/** Waits for the count that comes by itself (free) once the form stops changing. */
export async function counted() {
  return screen.findByTestId("estimate-summary", {}, { timeout: 3000 });
}

export async function estimateAndCollect() {
  await counted();
  await fireEvent.click(collectButton());
  return screen.getByRole("dialog");
}
