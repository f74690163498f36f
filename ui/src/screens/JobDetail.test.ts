import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { JobDetail as Detail } from "../lib/backend";
import { jobs } from "../lib/stores/jobs.svelte";
import { calls, jobFixture, on } from "../test/fakeTauri";
import JobDetail from "./JobDetail.svelte";

function detail(overrides: Partial<Detail["job"]> = {}): Detail {
  return {
    job: jobFixture({ id: 9, name: "Engineers", ...overrides }),
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
  it("shows the state, files, request and timeline, and retries", async () => {
    const answer = detail({ state: "insufficient_credits" });
    on("job_detail", () => answer);
    on("retry_job", () => answer.job);
    on("list_jobs", () => [answer.job]);
    render(JobDetail, { id: 9 });

    const badge = await screen.findByTestId("job-state");
    expect(badge.getAttribute("data-state")).toBe("insufficient_credits");
    expect(badge.textContent).toBe("Not enough credits");
    expect(screen.getByTestId("job-detail").textContent).toContain(
      "Your Coresignal account does not have enough credits for this request.",
    );
    expect(screen.getByTestId("file-row").textContent).toContain("1,200");
    expect(screen.getByText("Coresignal: HTTP 202")).toBeTruthy();
    expect(screen.getByText("Processing → Not enough credits")).toBeTruthy();
    expect(screen.getByText(/Download before/)).toBeTruthy();
    expect(screen.getByLabelText("Search query").textContent).toContain('"job_title"');

    await fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(calls).toHaveBeenCalledWith("retry_job", { id: 9 });
    expect(screen.getByRole("button", { name: "Cancel" })).toBeTruthy();
  });

  it("shows progress while processing and opens the folder", async () => {
    on("job_detail", () => detail({ state: "processing" }));
    on("open_folder", () => null);
    on("list_jobs", () => []);
    jobs.handle({ type: "polled", job: 9, next_check_in_secs: 30 });
    render(JobDetail, { id: 9 });
    expect(await screen.findByText(/next check in (29|30) s/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
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
});
