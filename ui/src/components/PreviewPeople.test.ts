import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { Preview, PreviewQuote } from "../lib/backend";
import { calls, on } from "../test/fakeTauri";
import PreviewPeople from "./PreviewPeople.svelte";

const QUERY = '{"query": {"match_all": {}}}';

function quote(credits: number): PreviewQuote {
  return {
    credits,
    practice: credits === 0,
    question:
      credits === 0
        ? "See 20 sample people: free in Practice."
        : `See 20 sample people: costs ${credits} credits.`,
    balance: null,
  };
}

const SAMPLES: Preview = {
  people: [{ id: 1, name: "Ann Lee", title: "Nurse", company: "Acme", country: "Germany" }],
  credits: 0,
  balance: null,
};

const previewCalls = () => calls.mock.calls.filter(([command]) => command === "preview_people");

describe("Preview people", () => {
  it("runs a free preview at once, with no confirmation", async () => {
    on("preview_cost", () => quote(0));
    on("preview_people", () => SAMPLES);
    render(PreviewPeople, { queryText: QUERY });
    await fireEvent.click(screen.getByTestId("preview-button"));
    expect(await screen.findByText("Ann Lee")).toBeTruthy();
    expect(previewCalls()).toEqual([["preview_people", { queryText: QUERY }]]);
  });

  it("asks before a paid preview and sends no token: the computer's own window asks for the yes", async () => {
    on("preview_cost", () => quote(10));
    on("preview_people", () => ({ ...SAMPLES, credits: 10 }));
    render(PreviewPeople, { queryText: QUERY });
    await fireEvent.click(screen.getByTestId("preview-button"));
    expect((await screen.findByTestId("preview-question")).textContent).toContain(
      "costs 10 credits",
    );
    expect(screen.getByRole("dialog").textContent).toContain("a window of its own");
    expect(previewCalls(), "nothing sent before yes").toHaveLength(0);
    await fireEvent.click(screen.getByRole("button", { name: "Yes, spend 10 credits" }));
    expect(await screen.findByText("Ann Lee")).toBeTruthy();
    expect(previewCalls()).toEqual([["preview_people", { queryText: QUERY }]]);
  });

  it("says plainly that nothing was spent when the person answers No in the computer's window", async () => {
    on("preview_cost", () => quote(10));
    on("preview_people", () => {
      throw { code: "Declined", message: "You said No: nothing was sent and nothing was spent." };
    });
    render(PreviewPeople, { queryText: QUERY });
    await fireEvent.click(screen.getByTestId("preview-button"));
    await fireEvent.click(await screen.findByRole("button", { name: "Yes, spend 10 credits" }));
    expect(
      (await screen.findAllByText(/You said No: nothing was sent and nothing was spent\./)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId("preview-table")).toBeNull();
  });
});
