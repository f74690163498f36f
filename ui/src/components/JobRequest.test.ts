import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { jobFixture } from "../test/fakeTauri";
import JobRequest from "./JobRequest.svelte";

describe("Job request", () => {
  it("in Practice says nothing is spent instead of an estimate of credits", () => {
    render(JobRequest, {
      job: jobFixture({ mode: "practice", estimated_records: 25, credits_per_record: 1 }),
    });
    expect(screen.getByTestId("request-estimate").textContent?.trim()).toBe(
      "≈ 25 profiles · Practice: nothing is spent (a real account would pay 25 credits)",
    );
  });

  it("in Live mode estimates the credits", () => {
    render(JobRequest, {
      job: jobFixture({ mode: "live", estimated_records: 25, credits_per_record: 10 }),
    });
    expect(screen.getByTestId("request-estimate").textContent?.trim()).toBe(
      "≈ 25 profiles · ≈ 250 credits",
    );
  });
});
