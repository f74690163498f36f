import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { jobs } from "../lib/stores/jobs.svelte";
import { router } from "../lib/stores/router.svelte";
import { on, summaryFixture } from "../test/fakeTauri";
import Jobs from "./Jobs.svelte";

function fill(count: number) {
  jobs.list = Array.from({ length: count }, (_, index) =>
    summaryFixture({
      id: count - index,
      name: index === 5000 ? "Needle search" : `Job ${count - index}`,
      state: index % 3 === 0 ? "downloaded" : "processing",
    }),
  );
  jobs.loaded = true;
  const list = jobs.list;
  on("list_jobs", () => list);
}

describe("Jobs", () => {
  it("renders only a window of rows for 10,000 jobs", () => {
    fill(10_000);
    render(Jobs);
    const rows = screen.getAllByTestId("job-row");
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]?.getAttribute("data-job-id")).toBe("10000");
    expect(rows[0]?.getAttribute("data-state")).toBe("downloaded");
    expect(screen.getByText("10,000 jobs")).toBeTruthy();
  });

  it("renders further rows when scrolled", async () => {
    fill(10_000);
    const { container } = render(Jobs);
    const viewport = container.querySelector(".viewport");
    if (!(viewport instanceof HTMLElement)) throw new Error("no viewport");
    viewport.scrollTop = 64 * 5000;
    await fireEvent.scroll(viewport);
    const ids = screen.getAllByTestId("job-row").map((row) => row.getAttribute("data-job-id"));
    expect(ids).toContain("5000");
    expect(ids).not.toContain("10000");
    expect(ids.length).toBeLessThan(40);
  });

  it("filters by the search box and opens a job", async () => {
    fill(10_000);
    render(Jobs);
    await fireEvent.input(screen.getByLabelText("Search jobs"), {
      target: { value: "needle" },
    });
    const rows = screen.getAllByTestId("job-row");
    expect(rows).toHaveLength(1);
    expect(screen.getByText(/1 of 10,000 jobs match/)).toBeTruthy();
    await fireEvent.click(rows[0] as HTMLElement);
    expect(router.route).toEqual({ screen: "job", id: 5000 });
  });

  it("invites a first collection when there are no jobs", () => {
    jobs.loaded = true;
    on("list_jobs", () => []);
    render(Jobs);
    expect(screen.getByText("No jobs yet.")).toBeTruthy();
  });
});
