import { describe, expect, it } from "vitest";
import { columnFixture, listPreviewFixture } from "../test/fakeTauri";
import { cut, headerChoice, headerRows, namesPeople, progressWords, usableWords } from "./lists";

describe("lists", () => {
  it("looks up only columns of IDs or profile addresses", () => {
    expect(namesPeople(columnFixture({ kind: "employee_ids" }))).toBe(true);
    expect(namesPeople(columnFixture({ kind: "profile_addresses" }))).toBe(true);
    expect(namesPeople(columnFixture({ kind: "companies" }))).toBe(false);
    expect(namesPeople(columnFixture({ kind: "other" }))).toBe(false);
    expect(namesPeople(undefined)).toBe(false);
  });

  it("says progress in searches, free", () => {
    expect(progressWords(null)).toBe("Looking up the people… (free searches)");
    expect(progressWords({ done: 12, planned: 40 })).toBe("Looking up 12 of 40 … (free searches)");
    expect(progressWords({ done: 1200, planned: 4000 })).toBe(
      "Looking up 1,200 of 4,000 … (free searches)",
    );
  });

  it("offers the first rows as the one with the column names, and no row", () => {
    expect(headerRows(listPreviewFixture({ header_row: 1, data_rows: 3 }))).toEqual([1, 2, 3, 4]);
    expect(headerRows(listPreviewFixture({ header_row: 2, data_rows: 500 }))).toHaveLength(10);
    expect(headerChoice("3")).toEqual({ kind: "row", row: 3 });
    expect(headerChoice("none")).toEqual({ kind: "none" });
  });

  it("counts usable values, and cuts long samples", () => {
    expect(usableWords(columnFixture({ usable: 1200, filled: 1300 }))).toBe(
      "1,200 of 1,300 values usable",
    );
    expect(usableWords(columnFixture({ kind: "other", filled: 7 }))).toBe("7 values");
    expect(cut("short")).toBe("short");
    const long = "x".repeat(80);
    expect(cut(long)).toHaveLength(50);
    expect(cut(long).endsWith("…")).toBe(true);
  });
});
