import { describe, expect, it } from "vitest";
import { visibleRows } from "./windowing";

describe("visibleRows", () => {
  it("renders the rows in view plus the overscan", () => {
    expect(visibleRows(0, 640, 64, 10_000)).toEqual({ start: 0, end: 19 });
    expect(visibleRows(64_000, 640, 64, 10_000)).toEqual({ start: 992, end: 1019 });
  });

  it("stays within the list", () => {
    expect(visibleRows(10_000 * 64, 640, 64, 10_000)).toEqual({ start: 9992, end: 10_000 });
    expect(visibleRows(-50, 640, 64, 3)).toEqual({ start: 0, end: 3 });
    expect(visibleRows(0, 640, 64, 0)).toEqual({ start: 0, end: 0 });
  });
});
