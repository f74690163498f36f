import { describe, expect, it } from "vitest";
import type { Diagnostic, QueryCheck } from "./backend";
import { offsetOf, toDiagnostics } from "./diagnostics";

const check = (diagnostics: Diagnostic[]): QueryCheck => ({
  pretty: null,
  warnings: [],
  error: null,
  diagnostics,
});

describe("offsetOf", () => {
  const text = '{\n  "query": {,}\n}';

  it("turns a 1-based line and column into an offset", () => {
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(text.charAt(offsetOf(text, 2, 13))).toBe(",");
  });

  it("clamps past the line or the text", () => {
    expect(offsetOf(text, 1, 99)).toBe(1);
    expect(offsetOf(text, 99, 1)).toBe(text.length);
    expect(offsetOf(text, 2, 0)).toBe(2);
  });
});

describe("toDiagnostics", () => {
  const place = (
    line: number,
    column: number,
    length: number,
    severity: Diagnostic["severity"] = "error",
  ): Diagnostic => ({
    code: "syntax",
    severity,
    message: `${severity} here`,
    path: "",
    line,
    column,
    length,
  });

  it("places a syntax error at its line and column", () => {
    const text = '{\n  "query": {,}\n}';
    const [mark] = toDiagnostics(text, check([place(2, 13, 1)]));
    expect(mark).toEqual({ from: 14, to: 15, severity: "error", message: "error here" });
    expect(text.slice(mark?.from, mark?.to)).toBe(",");
  });

  it("marks a key with its length, and warnings too", () => {
    const text = '{"query": {"bool": {"must": [{"match": {"experience.title": "x"}}]}}}';
    const marks = toDiagnostics(text, check([place(1, 31, 7), place(1, 2, 7, "warning")]));
    expect(marks.map((mark) => text.slice(mark.from, mark.to))).toEqual(['"match"', '"query"']);
    expect(marks[1]?.severity).toBe("warning");
    expect(toDiagnostics(text, null)).toEqual([]);
    expect(toDiagnostics(text, check([]))).toEqual([]);
  });

  it("never marks past the end of its line or the text", () => {
    const text = '{"query": {\n}';
    expect(toDiagnostics(text, check([place(1, 12, 5)]))[0]).toMatchObject({ from: 11, to: 11 });
    expect(toDiagnostics(text, check([place(9, 1, 1)]))[0]).toMatchObject({
      from: text.length,
      to: text.length,
    });
  });
});
