import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { router } from "../lib/stores/router.svelte";
import { toasts } from "../lib/stores/toasts.svelte";
import Toasts from "./Toasts.svelte";

describe("Toasts", () => {
  it("never draws a notice about the collection on screen over its own page", () => {
    router.go({ screen: "job", id: 4 });
    render(Toasts);
    // Pushed without saying what is on screen (as any caller might).
    toasts.push({ tone: "danger", message: "“Engineers” stopped: needs checking.", jobId: 4 });
    toasts.push({ tone: "danger", message: "“Sales” stopped: needs checking.", jobId: 5 });
    return Promise.resolve().then(() => {
      const shown = screen.queryAllByTestId("toast").map((toast) => toast.textContent);
      expect(shown.some((text) => text?.includes("Engineers"))).toBe(false);
      expect(shown.some((text) => text?.includes("Sales"))).toBe(true);
      expect(screen.getByRole("button", { name: "Show collection" })).toBeTruthy();
    });
  });
});
