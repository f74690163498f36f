import { describe, expect, it } from "vitest";
import { jobFixture } from "../test/fakeTauri";
import {
  canCancel,
  canRetry,
  canonicalJson,
  filterJobs,
  findRunningTwin,
  problemCode,
} from "./jobs";

describe("filterJobs", () => {
  const jobs = [
    jobFixture({ id: 1, name: "Python developers", state: "downloaded", request_id: "aa-11" }),
    jobFixture({ id: 2, name: "Nurses", state: "insufficient_credits", request_id: "bb-22" }),
    jobFixture({ id: 3, name: "Chefs", state: "processing", request_id: null }),
  ];
  const ids = (search: string) => filterJobs(jobs, search).map((job) => job.id);

  it("matches name, state code or label, request id and number, ignoring case", () => {
    expect(ids("")).toEqual([1, 2, 3]);
    expect(ids("python")).toEqual([1]);
    expect(ids("insufficient")).toEqual([2]);
    expect(ids("not enough")).toEqual([2]);
    expect(ids("BB-22")).toEqual([2]);
    expect(ids("#3")).toEqual([3]);
    expect(ids("nothing like it")).toEqual([]);
  });
});

describe("actions", () => {
  it("offers Retry after a top-up or for a failed accepted request only", () => {
    expect(canRetry(jobFixture({ state: "insufficient_credits" }))).toBe(true);
    expect(canRetry(jobFixture({ state: "failed", request_id: "x" }))).toBe(true);
    expect(canRetry(jobFixture({ state: "failed", request_id: null }))).toBe(false);
    expect(canRetry(jobFixture({ state: "downloaded" }))).toBe(false);
  });

  it("offers Cancel while work is pending", () => {
    for (const state of [
      "processing",
      "ready",
      "downloading",
      "insufficient_credits",
      "uncertain",
    ]) {
      expect(canCancel(jobFixture({ state: state as never }))).toBe(true);
    }
    expect(canCancel(jobFixture({ state: "downloaded" }))).toBe(false);
    expect(canCancel(jobFixture({ state: "cancelled" }))).toBe(false);
  });
});

describe("problemCode", () => {
  it("explains stopped jobs by their state, or by the failure's code", () => {
    expect(problemCode(jobFixture({ state: "insufficient_credits" }))).toBe("InsufficientCredits");
    expect(problemCode(jobFixture({ state: "uncertain" }))).toBe("Uncertain");
    expect(problemCode(jobFixture({ state: "failed", error_code: "Download" }))).toBe("Download");
    expect(problemCode(jobFixture({ state: "failed", error_code: null }))).toBe("Internal");
    expect(problemCode(jobFixture({ state: "downloaded" }))).toBeNull();
  });
});

describe("findRunningTwin", () => {
  const query = '{"query": {"match": {"job_title": "engineer"}}}';

  it("finds the processing job with the same query (whitespace and key order aside) and limit", () => {
    const jobs = [
      jobFixture({ id: 1, state: "downloaded" }),
      jobFixture({ id: 2, state: "processing", query_limit: 50 }),
      jobFixture({ id: 3, state: "processing", query_limit: null }),
    ];
    expect(findRunningTwin(jobs, query, null)?.id).toBe(3);
    expect(findRunningTwin(jobs, query, 50)?.id).toBe(2);
    expect(findRunningTwin(jobs, '{"query": {"match_all": {}}}', null)).toBeNull();
    expect(findRunningTwin(jobs, "not json", null)).toBeNull();
  });

  it("canonicalises key order", () => {
    expect(canonicalJson('{"b": 1, "a": [{"d": 1, "c": 2}]}')).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});
