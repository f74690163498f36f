import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import Nav from "../components/Nav.svelte";
import { app } from "../lib/stores/app.svelte";
import { jobs } from "../lib/stores/jobs.svelte";
import { router } from "../lib/stores/router.svelte";
import { appStateFixture, calls, on, summaryFixture } from "../test/fakeTauri";
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
    expect(screen.getByText("10,000 collections")).toBeTruthy();
  });

  it("names the credits column by what it means: spent in Live, would cost in Practice", () => {
    fill(3);
    app.set(appStateFixture({ mode: "practice" }));
    const practice = render(Jobs);
    expect(screen.getByRole("columnheader", { name: /Would cost/ })).toBeTruthy();
    expect(screen.queryByRole("columnheader", { name: /^Credits/ })).toBeNull();
    practice.unmount();
    app.set(appStateFixture({ mode: "live" }));
    render(Jobs);
    expect(screen.getByRole("columnheader", { name: /^Credits/ })).toBeTruthy();
  });

  it("shows what was charged, 0 for nothing delivered, and 'about N' only while under way", () => {
    jobs.list = [
      summaryFixture({
        id: 3,
        state: "processing",
        estimated_records: 250,
        credits_per_record: 10,
      }),
      summaryFixture({
        id: 2,
        state: "insufficient_credits",
        estimated_records: 250,
        credits_per_record: 10,
        credits_charged: 0,
      }),
      summaryFixture({ id: 1, state: "downloaded", estimated_records: 250, credits_charged: 2400 }),
    ];
    jobs.loaded = true;
    const list = jobs.list;
    on("list_jobs", () => list);
    render(Jobs);
    const credits = screen.getAllByTestId("row-credits").map((cell) => cell.textContent);
    expect(credits).toEqual(["about 2,500", "0", "2,400"]);
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
    await fireEvent.input(screen.getByLabelText("Search collections"), {
      target: { value: "needle" },
    });
    const rows = screen.getAllByTestId("job-row");
    expect(rows).toHaveLength(1);
    expect(screen.getByText(/1 of 10,000 collections shown/)).toBeTruthy();
    await fireEvent.click(within(rows[0] as HTMLElement).getByText("Needle search"));
    expect(router.route).toEqual({ screen: "job", id: 5000 });
  });

  it("sorts by a column, filters by state, and opens a spreadsheet from its row", async () => {
    jobs.list = [
      summaryFixture({ id: 3, name: "Bakers", state: "downloaded", estimated_records: 20 }),
      summaryFixture({
        id: 2,
        name: "Anglers",
        state: "downloaded",
        estimated_records: 900,
        has_spreadsheet: true,
      }),
      summaryFixture({ id: 1, name: "Chefs", state: "processing", estimated_records: 5 }),
    ];
    jobs.loaded = true;
    const list = jobs.list;
    on("list_jobs", () => list);
    on("open_spreadsheet", () => null);
    render(Jobs);
    const names = () =>
      screen.getAllByTestId("job-row").map((row) => row.querySelector(".name")?.textContent);
    expect(names()).toEqual(["Bakers", "Anglers", "Chefs"]);

    await fireEvent.click(screen.getByRole("button", { name: "Name" }));
    expect(names()).toEqual(["Anglers", "Bakers", "Chefs"]);
    expect(screen.getByRole("columnheader", { name: /Name/ }).getAttribute("aria-sort")).toBe(
      "ascending",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Profiles" }));
    expect(names()).toEqual(["Anglers", "Bakers", "Chefs"]);
    await fireEvent.click(screen.getByRole("button", { name: /Profiles/ }));
    expect(names()).toEqual(["Chefs", "Bakers", "Anglers"]);

    await fireEvent.change(screen.getByLabelText("Show"), { target: { value: "running" } });
    expect(names()).toEqual(["Chefs"]);
    await fireEvent.change(screen.getByLabelText("Show"), { target: { value: "done" } });
    expect(names()).toEqual(["Bakers", "Anglers"]);

    expect(screen.getAllByTestId("row-spreadsheet")).toHaveLength(1);
    await fireEvent.click(screen.getByRole("button", { name: "Open the spreadsheet of Anglers" }));
    await waitFor(() => expect(calls).toHaveBeenCalledWith("open_spreadsheet", { id: 2 }));
    expect(router.route.screen, "a row's button does not also open the job").not.toBe("job");

    // A click anywhere else on a row opens its job.
    const row = screen.getAllByTestId("job-row")[0] as HTMLElement;
    await fireEvent.click(row.querySelector(".col-credits") as HTMLElement);
    expect(router.route).toEqual({ screen: "job", id: 3 });
  });

  it("shows how many jobs are running beside Jobs in the navigation", () => {
    fill(9);
    render(Nav);
    expect(screen.getByTestId("running-count").textContent).toBe("6 running");
  });

  it("invites a first collection when there are no jobs", () => {
    jobs.loaded = true;
    on("list_jobs", () => []);
    render(Jobs);
    expect(screen.getByText("No collections yet.")).toBeTruthy();
  });
});
