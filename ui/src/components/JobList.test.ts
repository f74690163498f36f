import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { summaryFixture } from "../test/fakeTauri";
import JobList from "./JobList.svelte";

describe("Job list", () => {
  it("shows a collection of batches with its overall progress", () => {
    const collection = summaryFixture({
      id: 4,
      kind: "id_file",
      batches: { total: 3, done: 2, profiles: 25_000, profiles_ready: 20_000 },
    });
    render(JobList, {
      rows: [collection],
      sort: { key: "date", descending: true },
      onsort: () => {},
      onopen: () => {},
      onspreadsheet: () => {},
      onfolder: () => {},
    });
    expect(screen.getByTestId("job-row").textContent).toContain(
      "2 of 3 batches ready, 20,000 of 25,000 profiles",
    );
    // Under its state too, where a narrow window does not cut it.
    expect(screen.getByTestId("row-batches").textContent).toBe("2 of 3 batches ready");
  });
});
