import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { IdFilePick } from "../lib/backend";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import { router } from "../lib/stores/router.svelte";
import { appStateFixture, calls, jobFixture, on } from "../test/fakeTauri";
import NewCollection from "./NewCollection.svelte";

const QUERY = '{"query": {"match": {"job_title": "engineer"}}}';
const estimate = { matches: 1751, records: 1751, credits: 1751, balance: 5000 };

function scriptBackend() {
  on("check_query", ({ text }) => ({ pretty: String(text), warnings: [], error: null }));
  on("estimate", () => estimate);
}

function start(mode: "live" | "practice" = "live") {
  app.set(appStateFixture({ mode }));
  scriptBackend();
  draft.queryText = QUERY;
  return render(NewCollection);
}

const collectButton = () => screen.getByRole("button", { name: "Collect" });

describe("New collection: search", () => {
  it("keeps Collect disabled until an estimate is made, then shows the cost", async () => {
    start();
    expect(collectButton()).toHaveProperty("disabled", true);
    expect(screen.getByText(/Press Estimate to see the cost first/)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Estimate" }));
    const summary = await screen.findByTestId("estimate-summary");
    expect(summary.textContent).toBe("≈ 1,751 profiles · ≈ 1,751 credits · balance 5,000");
    expect(collectButton()).toHaveProperty("disabled", false);
    expect(calls).toHaveBeenCalledWith("estimate", { queryText: QUERY, limit: null });
  });

  it("forgets the estimate when the limit or query changes", async () => {
    start();
    await fireEvent.click(screen.getByRole("button", { name: "Estimate" }));
    await screen.findByTestId("estimate-summary");
    await fireEvent.input(screen.getByTestId("limit-input"), { target: { value: "200" } });
    expect(screen.queryByTestId("estimate-summary")).toBeNull();
    expect(collectButton()).toHaveProperty("disabled", true);

    await fireEvent.click(screen.getByRole("button", { name: "Estimate" }));
    await screen.findByTestId("estimate-summary");
    draft.queryText = QUERY.replace("engineer", "nurse");
    await waitFor(() => expect(screen.queryByTestId("estimate-summary")).toBeNull());
  });

  it("explains a bad limit and a non-https webhook in plain words", async () => {
    start();
    await fireEvent.input(screen.getByTestId("limit-input"), { target: { value: "20000" } });
    expect(screen.getByText("Enter a number from 1 to 10,000, or leave it empty.")).toBeTruthy();
    expect(screen.getByTestId("limit-input").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("button", { name: "Estimate" })).toHaveProperty("disabled", true);

    await fireEvent.input(screen.getByTestId("webhook-input"), {
      target: { value: "http://example.com/hook" },
    });
    const messages = screen.getAllByTestId("error-message").map((node) => node.textContent);
    expect(messages).toContain(
      "The webhook address must start with https:// (for example https://example.com/hook).",
    );
  });

  it("asks for confirmation naming the credits, then submits and opens the job", async () => {
    start();
    on("submit_query", () => jobFixture({ id: 42, name: "Engineers" }));
    on("list_jobs", () => [jobFixture({ id: 42 })]);
    await fireEvent.input(screen.getByTestId("name-input"), { target: { value: "Engineers" } });
    await fireEvent.click(screen.getByRole("button", { name: "Estimate" }));
    await screen.findByTestId("estimate-summary");
    await fireEvent.click(collectButton());

    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toContain("Collect ≈ 1,751 profiles for ≈ 1,751 credits?");
    expect(document.activeElement?.textContent).toBe("Cancel");
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));

    await waitFor(() => expect(router.route).toEqual({ screen: "job", id: 42 }));
    expect(calls).toHaveBeenCalledWith("submit_query", {
      request: {
        query_text: QUERY,
        limit: null,
        webhook_url: null,
        name: "Engineers",
        estimated_records: 1751,
      },
    });
  });

  it("keeps focus in the confirmation and closes it with Cancel or Escape without sending", async () => {
    start();
    await fireEvent.click(screen.getByRole("button", { name: "Estimate" }));
    await screen.findByTestId("estimate-summary");
    collectButton().focus();
    await fireEvent.click(collectButton());
    await fireEvent.keyDown(window, { key: "Tab", shiftKey: true });
    expect(document.activeElement?.textContent).toBe("Yes, collect");
    await fireEvent.keyDown(window, { key: "Tab" });
    expect(document.activeElement?.textContent).toBe("Cancel");
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(document.activeElement).toBe(collectButton());
    expect(screen.queryByRole("dialog")).toBeNull();
    await fireEvent.click(collectButton());
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.mock.calls.map(([command]) => command)).not.toContain("submit_query");
  });

  it("offers to open the running twin after DuplicateInProgress", async () => {
    start();
    on("submit_query", () => {
      throw {
        code: "DuplicateInProgress",
        message: "Identical data request is already in progress.",
      };
    });
    on("list_jobs", () => [jobFixture({ id: 7, state: "processing", query_json: QUERY })]);
    await fireEvent.click(screen.getByRole("button", { name: "Estimate" }));
    await screen.findByTestId("estimate-summary");
    await fireEvent.click(collectButton());
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));

    const open = await screen.findByRole("button", { name: "Open that job" });
    expect(screen.getByText("The same request is already running.")).toBeTruthy();
    await fireEvent.click(open);
    expect(router.route).toEqual({ screen: "job", id: 7 });
  });

  it("explains an uncertain submit without sending again", async () => {
    start();
    on("submit_query", () => {
      throw { code: "Uncertain", message: "The connection broke after sending." };
    });
    await fireEvent.click(screen.getByRole("button", { name: "Estimate" }));
    await screen.findByTestId("estimate-summary");
    await fireEvent.click(collectButton());
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));
    const error = await screen.findByText("The request may or may not have reached Coresignal.");
    expect(error.parentElement?.textContent).toContain("It was not sent again.");
    expect(calls.mock.calls.filter(([command]) => command === "submit_query")).toHaveLength(1);
  });

  it("replaces the query with a chosen template", async () => {
    start();
    await fireEvent.change(screen.getByTestId("template-select"), {
      target: { value: "country" },
    });
    expect(draft.queryText).toContain("location_country");
  });

  it("moves between tabs with the arrow keys", async () => {
    start();
    const search = screen.getByTestId("tab-search");
    search.focus();
    await fireEvent.keyDown(search, { key: "ArrowRight" });
    expect(screen.getByTestId("tab-ids").getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(screen.getByTestId("tab-ids"));
    await fireEvent.keyDown(screen.getByTestId("tab-ids"), { key: "Home" });
    expect(screen.getByTestId("tab-search").getAttribute("aria-selected")).toBe("true");
  });
});

describe("New collection: ID list", () => {
  const pick: IdFilePick = {
    pick: 3,
    file_name: "ids-with-problems.csv",
    valid: 480,
    total_lines: 505,
    blank_lines: 3,
    header: "id",
    duplicates_removed: 19,
    problems: [{ line: 12, text: "abc", reason: "not a number" }],
    problem_lines: 2,
    summary: "480 IDs are ready; 2 lines cannot be used.",
    too_many_message: null,
    credits: 480,
  };

  async function choose(answer: IdFilePick | null) {
    app.set(appStateFixture({ mode: "live", balance: 900 }));
    on("pick_id_file", () => answer);
    render(NewCollection);
    await fireEvent.click(screen.getByTestId("tab-ids"));
    await fireEvent.click(screen.getByRole("button", { name: "Choose a file…" }));
  }

  it("shows the report and the cost from the pick, then submits the pick", async () => {
    await choose(pick);
    expect((await screen.findByTestId("id-report")).textContent).toContain(pick.summary);
    expect(screen.getByTestId("estimate-summary").textContent).toBe(
      "≈ 480 profiles · ≈ 480 credits · balance 900",
    );
    on("submit_ids", () => jobFixture({ id: 5, kind: "id_file" }));
    on("list_jobs", () => []);
    await fireEvent.click(collectButton());
    await fireEvent.click(screen.getByRole("button", { name: "Yes, collect" }));
    await waitFor(() => expect(router.route).toEqual({ screen: "job", id: 5 }));
    expect(calls).toHaveBeenCalledWith("submit_ids", {
      request: { pick: 3, webhook_url: null, name: null },
    });
  });

  it("disables Collect and shows why when the file has too many IDs", async () => {
    const message = "The file has 10,001 IDs; at most 10,000 can be sent. Split it in two.";
    await choose({ ...pick, valid: 10_001, credits: 10_001, too_many_message: message });
    await screen.findByTestId("id-report");
    expect(screen.getAllByText(message).length).toBeGreaterThan(0);
    expect(collectButton()).toHaveProperty("disabled", true);
    expect(screen.queryByTestId("estimate-summary")).toBeNull();
  });

  it("does nothing when the picker is cancelled", async () => {
    await choose(null);
    await waitFor(() => expect(calls).toHaveBeenCalledWith("pick_id_file", {}));
    expect(screen.queryByTestId("id-report")).toBeNull();
    expect(screen.getByText("Choose a file first.")).toBeTruthy();
  });
});
