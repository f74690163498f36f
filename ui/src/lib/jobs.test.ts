import { describe, expect, it } from "vitest";
import { summaryFixture } from "../test/fakeTauri";
import { allows, filterJobs, mergeJobs, newestUpdate, problemCode } from "./jobs";

describe("filterJobs", () => {
  const jobs = [
    summaryFixture({ id: 1, name: "Python developers", state: "downloaded" }),
    summaryFixture({ id: 2, name: "Nurses", state: "insufficient_credits" }),
    summaryFixture({ id: 3, name: "Chefs", state: "processing" }),
  ];
  const ids = (search: string) => filterJobs(jobs, search).map((job) => job.id);

  it("matches name, state code or label and number, ignoring case", () => {
    expect(ids("")).toEqual([1, 2, 3]);
    expect(ids("python")).toEqual([1]);
    expect(ids("insufficient")).toEqual([2]);
    expect(ids("NOT ENOUGH")).toEqual([2]);
    expect(ids("#3")).toEqual([3]);
    expect(ids("nothing like it")).toEqual([]);
  });
});

describe("actions", () => {
  it("come from the backend only, whatever the state", () => {
    expect(allows(["retry", "cancel"], "retry")).toBe(true);
    expect(allows([], "retry")).toBe(false);
    expect(allows(["cancel"], "send_again")).toBe(false);
  });
});

describe("problemCode", () => {
  it("explains stopped jobs by their state, or by the failure's code", () => {
    const job = (state: Parameters<typeof summaryFixture>[0]) => problemCode(summaryFixture(state));
    expect(job({ state: "insufficient_credits" })).toBe("InsufficientCredits");
    expect(job({ state: "uncertain" })).toBe("Uncertain");
    expect(job({ state: "failed", error_code: "Download" })).toBe("Download");
    expect(job({ state: "failed", error_code: null })).toBe("Internal");
    expect(job({ state: "downloaded" })).toBeNull();
  });
});

describe("mergeJobs", () => {
  it("replaces changed rows by id, adds new ones, and keeps newest first", () => {
    const list = [summaryFixture({ id: 2 }), summaryFixture({ id: 1 })];
    const changed = [
      summaryFixture({ id: 3, name: "New" }),
      summaryFixture({ id: 1, state: "downloaded" }),
    ];
    const merged = mergeJobs(list, changed);
    expect(merged.map((job) => [job.id, job.state])).toEqual([
      [3, "processing"],
      [2, "processing"],
      [1, "downloaded"],
    ]);
    expect(list).toHaveLength(2);
  });

  it("finds the newest change", () => {
    expect(newestUpdate([])).toBeNull();
    expect(
      newestUpdate([
        summaryFixture({ id: 1, updated_at: "2026-03-01T10:00:05Z" }),
        summaryFixture({ id: 2, updated_at: "2026-03-02T08:00:00Z" }),
        summaryFixture({ id: 3, updated_at: "2026-03-01T23:00:00Z" }),
      ]),
    ).toBe("2026-03-02T08:00:00Z");
  });
});
