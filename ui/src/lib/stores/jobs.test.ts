import { describe, expect, it } from "vitest";
import { calls, on, summaryFixture } from "../../test/fakeTauri";
import { jobs } from "./jobs.svelte";

describe("the jobs store", () => {
  it("loads the whole list once, then merges what changed since the newest update", async () => {
    const first = [
      summaryFixture({ id: 2, updated_at: "2026-03-01T10:00:09Z" }),
      summaryFixture({ id: 1, updated_at: "2026-03-01T10:00:02Z" }),
    ];
    const changed = [
      summaryFixture({ id: 3, name: "Chefs", updated_at: "2026-03-01T10:01:00Z" }),
      summaryFixture({ id: 1, state: "downloaded", updated_at: "2026-03-01T10:00:30Z" }),
    ];
    on("list_jobs", ({ changedSince }) => (changedSince === null ? first : changed));

    await jobs.refresh();
    expect(calls).toHaveBeenLastCalledWith("list_jobs", {
      changedSince: null,
      before: null,
      limit: 1000,
    });
    expect(jobs.list.map((job) => job.id)).toEqual([2, 1]);
    expect(jobs.loaded).toBe(true);

    await jobs.refresh();
    expect(calls).toHaveBeenLastCalledWith("list_jobs", {
      changedSince: "2026-03-01T10:00:09Z",
      before: null,
      limit: null,
    });
    expect(jobs.list.map((job) => [job.id, job.state])).toEqual([
      [3, "processing"],
      [2, "processing"],
      [1, "downloaded"],
    ]);

    await jobs.refresh();
    expect(calls).toHaveBeenLastCalledWith("list_jobs", {
      changedSince: "2026-03-01T10:01:00Z",
      before: null,
      limit: null,
    });
    expect(jobs.list).toHaveLength(3);
  });

  it("reads a long history a page at a time, newest first", async () => {
    const all = Array.from({ length: 2500 }, (_, index) =>
      summaryFixture({
        id: 2500 - index,
        // A job on a later page changed after the first page was read.
        updated_at: index === 2000 ? "2026-03-01T10:05:00Z" : "2026-03-01T10:00:00Z",
      }),
    );
    on("list_jobs", ({ before, limit }) => {
      const older = all.filter((job) => before === null || job.id < (before as number));
      return older.slice(0, limit as number);
    });
    await jobs.refresh();
    const pages = calls.mock.calls.filter(([command]) => command === "list_jobs");
    expect(pages.map(([, args]) => (args as { before: number | null }).before)).toEqual([
      null,
      1501,
      501,
    ]);
    expect(jobs.list).toHaveLength(2500);
    expect(jobs.list[0]?.id).toBe(2500);
    // The next refresh asks from the first page's newest change, not the later page's.
    await jobs.refresh();
    expect(calls).toHaveBeenLastCalledWith("list_jobs", {
      changedSince: "2026-03-01T10:00:00Z",
      before: null,
      limit: null,
    });
  });

  it("reloads the whole list on request", async () => {
    let answer = [summaryFixture({ id: 1 }), summaryFixture({ id: 2 })];
    on("list_jobs", () => answer);
    await jobs.refresh();
    answer = [summaryFixture({ id: 5 })];
    await jobs.reload();
    expect(calls).toHaveBeenLastCalledWith("list_jobs", {
      changedSince: null,
      before: null,
      limit: 1000,
    });
    expect(jobs.list.map((job) => job.id)).toEqual([5]);
  });

  it("drops an older answer that arrives after a full reload started", async () => {
    on("list_jobs", () => [summaryFixture({ id: 1 })]);
    await jobs.refresh();
    let release: (rows: unknown) => void = () => undefined;
    on("list_jobs", () => new Promise((resolve) => (release = resolve)));
    const slow = jobs.refresh();
    const slowRelease = release;
    on("list_jobs", () => [summaryFixture({ id: 7 })]);
    await jobs.reload();
    slowRelease([summaryFixture({ id: 99 })]);
    await slow;
    expect(jobs.list.map((job) => job.id)).toEqual([7]);
  });
});
