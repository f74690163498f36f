import { describe, expect, it } from "vitest";
import {
  NONE,
  countLine,
  exportRequest,
  exportedLine,
  forgetQuestion,
  importLine,
  isSelected,
  selectedCount,
  toggle,
  togglePage,
} from "./people";

describe("selection", () => {
  it("ticks and unticks one person", () => {
    const one = toggle(NONE, 7);
    expect(isSelected(one, 7)).toBe(true);
    expect(isSelected(toggle(one, 7), 7)).toBe(false);
  });

  it("ticks a whole page, and unticks it when all were ticked", () => {
    const page = togglePage(toggle(NONE, 2), [1, 2, 3]);
    expect(selectedCount(page, 500)).toBe(3);
    expect(selectedCount(togglePage(page, [1, 2, 3]), 500)).toBe(0);
  });

  it("counts everyone matching the search when all are selected", () => {
    const all = { all: true, ids: new Set<number>() };
    expect(selectedCount(all, 1204)).toBe(1204);
    expect(isSelected(all, 99)).toBe(true);
    expect(toggle(all, 99)).toEqual({ all: false, ids: new Set([99]) });
  });
});

describe("export request", () => {
  it("sends the ticked ids in order", () => {
    const chosen = toggle(toggle(NONE, 9), 3);
    expect(exportRequest(chosen, "x")).toEqual({ kind: "chosen", ids: [3, 9] });
  });

  it("sends the search for everyone matching, none for a blank search", () => {
    expect(exportRequest({ all: true, ids: new Set() }, " acme ")).toEqual({
      kind: "matching",
      text: "acme",
    });
    expect(exportRequest({ all: true, ids: new Set() }, "  ")).toEqual({
      kind: "matching",
      text: null,
    });
  });

  it("asks for nothing when no one is selected", () => {
    expect(exportRequest(NONE, "")).toBeNull();
  });
});

describe("words", () => {
  it("says which people are shown", () => {
    expect(countLine(1204, 1, 100, "")).toBe("1–100 of 1,204 people");
    expect(countLine(150, 2, 50, "acme")).toBe("101–150 of 150 people matching");
    expect(countLine(1, 1, 1, "")).toBe("1–1 of 1 person");
    expect(countLine(0, 1, 0, "")).toBe("No one yet.");
    expect(countLine(0, 1, 0, "zz")).toBe("No one matches.");
  });

  it("names the person in the forget question and says what is kept", () => {
    const question = forgetQuestion("Jane Doe");
    expect(question.title).toBe("Forget Jane Doe?");
    expect(question.body).toContain("deleted from your people library");
    expect(question.body).toContain("only a note");
    expect(forgetQuestion(null).title).toBe("Forget this person?");
  });

  it("shows the import banner only while earlier collections are being added", () => {
    const running = { jobs_done: 2, jobs_total: 5, people: 3120, finished: false };
    expect(importLine(running)).toBe(
      "Adding your earlier collections to the people library: 2 of 5 (3,120 people)",
    );
    expect(importLine({ ...running, finished: true })).toBeNull();
    expect(importLine({ ...running, jobs_total: 0 })).toBeNull();
    expect(importLine(null)).toBeNull();
  });

  it("says what an export wrote", () => {
    expect(exportedLine(3, "/home/a/people.csv")).toBe("Saved 3 people to /home/a/people.csv.");
  });
});
