import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { JobAction, JobDetail as Detail } from "../lib/backend";
import { app } from "../lib/stores/app.svelte";
import { draft } from "../lib/stores/draft.svelte";
import { jobs } from "../lib/stores/jobs.svelte";
import { router } from "../lib/stores/router.svelte";
import { appStateFixture, calls, jobFixture, on, quoteFixture } from "../test/fakeTauri";
import JobDetail from "./JobDetail.svelte";

function detail(
  overrides: Partial<Detail["job"]> = {},
  actions: JobAction[] = ["retry", "cancel", "open_folder"],
): Detail {
  return {
    job: jobFixture({ id: 9, name: "Engineers", ...overrides }),
    actions,
    records_downloaded: 1200,
    batches: [],
    spreadsheet_missing: null,
    batch_count: null,
    typical_wait: null,
    not_enough_credits: null,
    files: [
      {
        id: 1,
        job_id: 9,
        position: 0,
        server_name: "json/part-00000.json.gz",
        local_name: "part-00000.json.gz",
        state: "done",
        bytes: 2048,
        records: 1200,
        path: "/downloads/9/part-00000.json.gz",
        error: null,
      },
    ],
    events: [
      {
        id: 1,
        job_id: 9,
        at: "2026-03-01T10:00:01Z",
        kind: "server",
        from_state: null,
        to_state: null,
        http_status: 202,
        detail: "Still processing",
      },
      {
        id: 2,
        job_id: 9,
        at: "2026-03-01T10:00:05Z",
        kind: "state",
        from_state: "processing",
        to_state: "insufficient_credits",
        http_status: null,
        detail: "Insufficient credits",
      },
    ],
    download_before: "2026-03-31T10:00:01Z",
  };
}

describe("Job detail", () => {
  it("leads a finished job with its people ready to open in a spreadsheet", async () => {
    const answer = detail(
      { state: "downloaded", export_path: "/downloads/9/engineers_2026-03-01.xlsx" },
      ["open_folder"],
    );
    on("job_detail", () => answer);
    on("open_spreadsheet", () => undefined);
    on("open_folder", () => undefined);
    on("list_jobs", () => []);
    render(JobDetail, { id: 9 });

    const ready = await screen.findByTestId("results-ready");
    expect(ready.textContent).toContain("1,200 profiles ready");
    await fireEvent.click(screen.getByRole("button", { name: "Open in spreadsheet" }));
    await waitFor(() => expect(calls).toHaveBeenCalledWith("open_spreadsheet", { id: 9 }));
    await fireEvent.click(screen.getByRole("button", { name: "Show in folder" }));
    await waitFor(() => expect(calls).toHaveBeenCalledWith("open_folder", { id: 9 }));
  });

  it("says which batches a collection's spreadsheet lacks", async () => {
    const missing =
      "Batches 2 and 3 are not in this spreadsheet: they ended without files. Open them below to see why and what can be done.";
    on("job_detail", () => ({
      ...detail(
        {
          state: "collection",
          export_path: "/downloads/9/list_2026-03-01 (batches 2 and 3 missing).xlsx",
        },
        ["open_folder"],
      ),
      spreadsheet_missing: missing,
    }));
    on("list_jobs", () => []);
    render(JobDetail, { id: 9 });
    const ready = await screen.findByTestId("results-ready");
    expect(ready.textContent).toContain(missing);
  });

  it("opens its search again in New collection, to run again or edit, without sending", async () => {
    const answer = detail(
      { state: "downloaded", query_json: '{"query":{"match":{"skills":"go"}}}', query_limit: 40 },
      ["open_folder"],
    );
    on("job_detail", () => answer);
    on("list_jobs", () => []);
    render(JobDetail, { id: 9 });
    await fireEvent.click(await screen.findByRole("button", { name: "Run again" }));
    expect(router.route).toEqual({ screen: "new" });
    expect(JSON.parse(draft.queryText)).toEqual({ query: { match: { skills: "go" } } });
    expect(draft.limitText).toBe("40");
    expect(draft.name).toBe("Engineers");
    await fireEvent.click(screen.getByRole("button", { name: "Edit as new" }));
    expect(draft.name).toBe("");
    expect(calls.mock.calls.filter(([command]) => command === "submit")).toHaveLength(0);
  });

  it("offers no Run again while the job may have reached Coresignal (uncertain)", async () => {
    on("job_detail", () =>
      detail({ state: "uncertain", query_json: '{"query":{}}' }, ["attach", "send_again"]),
    );
    on("list_jobs", () => []);
    render(JobDetail, { id: 9 });
    await screen.findByText(/I found it in my Coresignal account/);
    expect(screen.queryByRole("button", { name: "Run again" })).toBeNull();
  });

  it("offers the download of a request Coresignal received after the cancel", async () => {
    on("job_detail", () => detail({ state: "cancelled", request_id: "r-late" }, ["download_paid"]));
    on("retry_job", () => jobFixture({ id: 9, state: "processing" }));
    on("list_jobs", () => []);
    render(JobDetail, { id: 9 });
    const panel = await screen.findByTestId("paid-after-cancel");
    expect(panel.textContent).toContain("Coresignal did receive this collection (already paid)");
    await fireEvent.click(screen.getByRole("button", { name: "Download it" }));
    await waitFor(() => expect(calls).toHaveBeenCalledWith("retry_job", { id: 9 }));
  });

  it("shows no spreadsheet buttons before there is a spreadsheet", async () => {
    on("job_detail", () => detail({ state: "downloaded" }, ["open_folder"]));
    on("list_jobs", () => []);
    render(JobDetail, { id: 9 });
    await screen.findByTestId("job-state");
    expect(screen.queryByTestId("results-ready")).toBeNull();
    expect(screen.queryByRole("button", { name: "Open in spreadsheet" })).toBeNull();
  });

  it("says a 402 once, in figures, with Top up then Try again", async () => {
    const message =
      "This collection needs 2,500 credits, and your account had 1,800. Nothing was charged.";
    const answer = {
      ...detail({
        state: "insufficient_credits",
        state_reason:
          "Your Coresignal account does not have enough credits for this collection. Add credits, then press Retry.",
      }),
      not_enough_credits: {
        needs: 2500,
        had: 1800,
        message,
        top_up_url: "https://docs.coresignal.com/guides/understanding-credits-and-billing",
      },
    };
    on("job_detail", () => answer);
    on("retry_job", () => answer.job);
    on("open_top_up_page", () => undefined);
    on("list_jobs", () => []);
    render(JobDetail, { id: 9 });

    const badge = await screen.findByTestId("job-state");
    expect(badge.getAttribute("data-state")).toBe("insufficient_credits");
    expect(badge.textContent).toBe("Not enough credits");
    const page = screen.getByTestId("job-detail").textContent ?? "";
    expect(page).toContain(message);
    expect(page).not.toContain("does not have enough credits");
    expect(page).not.toContain("press Retry");
    expect(screen.queryByText(/Add credits/)).toBeNull();
    const buttons = screen.getAllByRole("button").map((button) => button.textContent?.trim());
    expect(buttons.indexOf("Top up")).toBeLessThan(buttons.indexOf("Try again"));
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();

    expect(screen.getByTestId("file-row").textContent).toContain("1,200");
    expect(screen.getByText("Coresignal: HTTP 202")).toBeTruthy();
    expect(screen.getByText("Processing → Not enough credits")).toBeTruthy();
    expect(screen.getByText(/Download before/)).toBeTruthy();
    expect(screen.getByLabelText("Search query").textContent).toContain('"job_title"');

    await fireEvent.click(screen.getByRole("button", { name: "Top up" }));
    await waitFor(() =>
      expect(calls.mock.calls.map(([command]) => command)).toContain("open_top_up_page"),
    );
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(calls).toHaveBeenCalledWith("retry_job", { id: 9 }));
    expect(screen.getByRole("button", { name: "Cancel" })).toBeTruthy();
  });

  it("shows progress while processing and opens the folder", async () => {
    on("job_detail", () => detail({ state: "processing" }, ["cancel", "open_folder"]));
    on("open_folder", () => null);
    on("list_jobs", () => []);
    jobs.handle({ type: "polled", job: 9, next_check_in_secs: 30 });
    render(JobDetail, { id: 9 });
    expect(await screen.findByText(/next check in (29|30) s/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
    expect(screen.getByRole("button", { name: "Cancel" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Open folder" }));
    expect(calls).toHaveBeenCalledWith("open_folder", { id: 9 });
  });

  it("shows download bytes and speed per file", async () => {
    const answer = detail({ state: "downloading" });
    const file = answer.files[0];
    if (file) file.state = "downloading";
    on("job_detail", () => answer);
    jobs.handle({
      type: "download",
      job: 9,
      file: "json/part-00000.json.gz",
      bytes_done: 1024,
      bytes_total: 4096,
    });
    render(JobDetail, { id: 9 });
    const row = await screen.findByTestId("file-row");
    expect(row.textContent).toContain("1.0 KB of 4.0 KB");
    expect(row.querySelector("progress")?.getAttribute("value")).toBe("25");
  });

  it("explains a missing job", async () => {
    on("job_detail", () => {
      throw { code: "NotFound", message: "no job 9" };
    });
    render(JobDetail, { id: 9 });
    expect((await screen.findByTestId("error-message")).textContent).toContain(
      "This item no longer exists.",
    );
  });

  it("shows only the buttons the backend offers, whatever the state", async () => {
    // A failed job with no actions: no Retry, even though it failed after being accepted.
    on("job_detail", () => detail({ state: "failed", error_code: "Download" }, []));
    render(JobDetail, { id: 9 });
    await screen.findByTestId("job-state");
    expect(screen.getByText("A file could not be downloaded.")).toBeTruthy();
    for (const name of ["Retry", "Cancel", "Open folder", "I found it"]) {
      expect(screen.queryByRole("button", { name })).toBeNull();
    }
    expect(screen.queryByRole("button", { name: /Send again/ })).toBeNull();
    expect(screen.queryByTestId("uncertain")).toBeNull();
  });

  it("offers Retry for a state the UI would not have guessed, when the backend says so", async () => {
    on("job_detail", () => detail({ state: "processing" }, ["retry"]));
    render(JobDetail, { id: 9 });
    expect(await screen.findByRole("button", { name: "Retry" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Cancel" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Open folder" })).toBeNull();
  });

  describe("an uncertain job", () => {
    const uncertain = () =>
      detail({ state: "uncertain", request_id: null }, ["cancel", "attach", "send_again"]);

    it("keeps HTTP statuses and request ids under Technical details, and Cancel last", async () => {
      const reason =
        "Coresignal answered with an error (HTTP 502) after receiving it, and such an error does not say whether the request was created. The request was not sent again.";
      on("job_detail", () => ({
        ...uncertain(),
        job: jobFixture({ id: 9, state: "uncertain", state_reason: reason }),
      }));
      on("list_jobs", () => []);
      render(JobDetail, { id: 9 });
      const panel = await screen.findByTestId("uncertain");
      const technical = screen.getByTestId("uncertain-technical");
      expect(technical.textContent).toContain("HTTP 502");
      // Outside Technical details: no HTTP, no request id, no "on the job's page".
      const page = screen.getByTestId("job-detail").cloneNode(true) as HTMLElement;
      for (const folded of page.querySelectorAll("details")) folded.remove();
      expect(page.textContent).not.toMatch(/HTTP|request id|job's page/i);
      expect(screen.getByTestId("uncertain-where").textContent).toContain("Coresignal dashboard");
      // The two real choices first, Cancel last and not red.
      const buttons = [...panel.querySelectorAll("button")].map((b) => b.textContent?.trim());
      expect(buttons).toEqual(["I found it", "Send again (may cost twice)", "Cancel"]);
      expect(screen.getByRole("button", { name: "Cancel" }).classList.contains("danger")).toBe(
        false,
      );
      expect(screen.queryByText(/may or may not have reached/)).toBeNull();
    });

    it("attaches the request id the person found in their Coresignal account", async () => {
      on("job_detail", uncertain);
      on("attach_request", () => jobFixture({ id: 9, state: "processing" }));
      on("list_jobs", () => []);
      render(JobDetail, { id: 9 });
      const input = await screen.findByLabelText(/Its id in your Coresignal account/);
      expect(input.getAttribute("aria-describedby")).toBe("attach-hint");
      expect(document.getElementById("attach-hint")?.textContent).toMatch(/without sending/);
      const found = screen.getByRole("button", { name: "I found it" });
      expect(found).toHaveProperty("disabled", true);
      await fireEvent.input(input, { target: { value: "  a1b2-c3d4  " } });
      await fireEvent.click(found);
      await waitFor(() =>
        expect(calls).toHaveBeenCalledWith("attach_request", { id: 9, requestId: "a1b2-c3d4" }),
      );
    });

    it("sends again only after confirming the new price, with again = true", async () => {
      app.set(appStateFixture({ mode: "live" }));
      const again = quoteFixture({
        id: 30,
        replaces_job: 9,
        earlier: [
          {
            id: 9,
            name: "Engineers",
            state: "uncertain",
            sent_at: "2026-03-01T10:00:01Z",
            records: 100,
          },
        ],
        question:
          'You collected this data on 2026-03-01 ("Engineers"). Collect 100 profiles again for 100 credits? The first time it was sent may already have been charged: check your Coresignal account first.',
      });
      on("job_detail", uncertain);
      on("send_again", () => again);
      on("submit", () => jobFixture({ id: 10 }));
      on("list_jobs", () => []);
      render(JobDetail, { id: 9 });

      await fireEvent.click(
        await screen.findByRole("button", { name: "Send again (may cost twice)" }),
      );
      expect(calls).toHaveBeenCalledWith("send_again", { id: 9 });
      const dialog = await screen.findByRole("dialog");
      expect(screen.getByTestId("quote-question").textContent).toBe(again.question);
      expect(dialog.textContent).toContain("may already have been charged");
      expect(calls.mock.calls.map(([command]) => command)).not.toContain("submit");

      await fireEvent.click(screen.getByRole("button", { name: "Collect again" }));
      await waitFor(() => expect(router.route).toEqual({ screen: "job", id: 10 }));
      expect(calls).toHaveBeenCalledWith("submit", { quote: 30, again: true });
    });

    it("passes again = true for a send-again price even with no earlier job listed", async () => {
      on("job_detail", uncertain);
      on("send_again", () => quoteFixture({ id: 31, replaces_job: 9 }));
      on("submit", () => jobFixture({ id: 11 }));
      on("list_jobs", () => []);
      render(JobDetail, { id: 9 });
      await fireEvent.click(
        await screen.findByRole("button", { name: "Send again (may cost twice)" }),
      );
      await fireEvent.click(await screen.findByRole("button", { name: "Send again" }));
      await waitFor(() => expect(calls).toHaveBeenCalledWith("submit", { quote: 31, again: true }));
    });
  });
});
