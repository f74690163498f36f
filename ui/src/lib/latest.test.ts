import { describe, expect, it } from "vitest";
import { latest } from "./latest";

describe("latest", () => {
  it("shows the answer of a load that is still the latest", async () => {
    const shown: number[] = [];
    latest(Promise.resolve(1), (value) => shown.push(value));
    await Promise.resolve();
    await Promise.resolve();
    expect(shown).toEqual([1]);
  });

  it("drops the answer or the error of a load replaced meanwhile", async () => {
    const shown: number[] = [];
    const failed: unknown[] = [];
    latest(Promise.resolve(1), (value) => shown.push(value))();
    latest(
      Promise.reject(new Error("late")),
      (value) => shown.push(value),
      (e) => failed.push(e),
    )();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown).toEqual([]);
    expect(failed).toEqual([]);
  });

  it("hands the error of the latest load to its handler", async () => {
    const failed: unknown[] = [];
    latest(
      Promise.reject(new Error("no")),
      () => undefined,
      (e) => failed.push(e),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(failed).toHaveLength(1);
  });
});
