import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { IdFilePick } from "../lib/backend";
import IdReport from "./IdReport.svelte";

const pick: IdFilePick = {
  quote: null,
  file_name: "ids-with-problems.csv",
  valid: 480,
  total_lines: 505,
  blank_lines: 3,
  header: "id",
  duplicates_removed: 19,
  problems: [
    { line: 12, text: "abc", reason: "not a number" },
    { line: 40, text: "-5", reason: "negative" },
  ],
  problem_lines: 27,
  summary: "480 IDs are ready; 27 lines cannot be used.",
  batches_message: null,
};

describe("IdReport", () => {
  it("shows the counts, the problems by line, and how many more there are", () => {
    render(IdReport, { pick });
    const report = screen.getByTestId("id-report");
    expect(report.textContent).toContain(pick.summary);
    expect(report.textContent).toContain("“id”");
    const rows = within(report).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual(["12abcnot a number", "40-5negative"]);
    expect(screen.getByText("and 25 more")).toBeTruthy();
    expect(screen.queryByTestId("error-message")).toBeNull();
  });

  it("says a long list goes as batches, and shows no table when there are no problems", () => {
    const message = "These 25,000 IDs go as 3 batches, priced and confirmed together.";
    render(IdReport, {
      pick: { ...pick, problems: [], problem_lines: 0, batches_message: message },
    });
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.queryByText(/more$/)).toBeNull();
    expect(screen.getByTestId("batches-message").textContent).toBe(message);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
