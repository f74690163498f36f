import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { jobFixture } from "../test/fakeTauri";
import JobProgress from "./JobProgress.svelte";

/** The live regions `element` is inside of (itself included): what a screen reader announces. */
function liveAncestors(element: Element): Element[] {
  const live: Element[] = [];
  for (let at: Element | null = element; at; at = at.parentElement) {
    const role = at.getAttribute("role");
    const politeness = at.getAttribute("aria-live");
    if (
      (politeness && politeness !== "off") ||
      ["status", "log", "alert", "timer"].includes(role ?? "")
    ) {
      live.push(at);
    }
  }
  return live;
}

const NOW = Date.parse("2026-03-01T10:05:00Z");

describe("Job progress", () => {
  it("announces the state only: the countdown ticks outside any live region", () => {
    render(JobProgress, {
      job: jobFixture({ state: "processing", submitted_at: "2026-03-01T10:00:00Z" }),
      nextCheckAt: NOW + 12_000,
      downloads: {},
      now: NOW,
    });
    const clock = screen.getByTestId("progress-clock");
    expect(clock.textContent).toContain("Waiting for 5 min 0 s · next check in 12 s");
    expect(liveAncestors(clock)).toEqual([]);
    const state = screen.getByRole("status");
    expect(state.textContent?.trim()).toBe("Coresignal is preparing the data.");
    expect(state.textContent).not.toMatch(/\d/);
  });

  it("says a collection being sent is being sent, without the word request", () => {
    render(JobProgress, {
      job: jobFixture({ state: "submitting" }),
      nextCheckAt: null,
      downloads: {},
      now: NOW,
    });
    expect(screen.getByRole("status").textContent?.trim()).toBe("Sending it to Coresignal.");
  });

  it("keeps the byte counts of a download out of the live region too", () => {
    render(JobProgress, {
      job: jobFixture({ state: "downloading" }),
      nextCheckAt: null,
      downloads: { a: { done: 1024, total: 4096, speed: 512, at: NOW } },
      now: NOW,
    });
    const clock = screen.getByTestId("progress-clock");
    expect(clock.textContent).toContain("1.0 KB of 4.0 KB");
    expect(liveAncestors(clock)).toEqual([]);
    expect(screen.getByRole("status").textContent?.trim()).toBe("Downloading the files.");
  });

  it("shows a collection's batches and profiles, the typical time and that the app may close", () => {
    render(JobProgress, {
      job: jobFixture({ state: "processing" }),
      nextCheckAt: null,
      downloads: {},
      now: NOW,
      batchCount: { total: 3, done: 2, profiles: 25_000, profiles_ready: 20_000 },
      typical: { median_secs: 240, from: 5 },
    });
    expect(screen.getByRole("status").textContent?.trim()).toBe(
      "2 of 3 batches ready, 20,000 of 25,000 profiles",
    );
    expect(screen.getByTestId("typical-time").textContent).toContain(
      "about 4 min for each batch (the middle of your last 5 here",
    );
    expect(screen.getByTestId("close-the-app").textContent).toContain(
      "You can close the app; it carries on when you open it again, and tells you when the files are ready.",
    );
  });

  it("says nothing once the job has ended", () => {
    render(JobProgress, {
      job: jobFixture({ state: "downloaded" }),
      nextCheckAt: null,
      downloads: {},
      now: NOW,
    });
    expect(screen.queryByTestId("job-progress")).toBeNull();
  });
});
