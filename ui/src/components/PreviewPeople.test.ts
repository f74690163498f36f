import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { Preview, PreviewQuote } from "../lib/backend";
import { calls, on } from "../test/fakeTauri";
import PreviewPeople from "./PreviewPeople.svelte";

const QUERY = '{"query": {"match_all": {}}}';

function quote(credits: number, confirmation: string | null): PreviewQuote {
  return {
    credits,
    practice: credits === 0,
    question:
      credits === 0
        ? "See 20 sample people: free in Practice."
        : `See 20 sample people: costs ${credits} credits.`,
    balance: null,
    confirmation,
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
    on("preview_cost", () => quote(0, null));
    on("preview_people", () => SAMPLES);
    render(PreviewPeople, { queryText: QUERY });
    await fireEvent.click(screen.getByTestId("preview-button"));
    expect(await screen.findByText("Ann Lee")).toBeTruthy();
    expect(previewCalls()).toEqual([["preview_people", { queryText: QUERY, confirmation: null }]]);
  });

  it("asks before a paid preview and sends the confirmation the cost came with", async () => {
    on("preview_cost", () => quote(10, "one-time-1"));
    on("preview_people", () => ({ ...SAMPLES, credits: 10 }));
    render(PreviewPeople, { queryText: QUERY });
    await fireEvent.click(screen.getByTestId("preview-button"));
    expect((await screen.findByTestId("preview-question")).textContent).toContain(
      "costs 10 credits",
    );
    expect(previewCalls(), "nothing sent before yes").toHaveLength(0);
    await fireEvent.click(screen.getByRole("button", { name: "Yes, spend 10 credits" }));
    expect(await screen.findByText("Ann Lee")).toBeTruthy();
    expect(previewCalls()).toEqual([
      ["preview_people", { queryText: QUERY, confirmation: "one-time-1" }],
    ]);
  });
});
