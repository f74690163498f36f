import { describe, expect, it } from "vitest";
import type { QueryCheck } from "./backend";
import { offsetOf, toDiagnostics } from "./diagnostics";
import { findJsonPath } from "./jsonPaths";

const ok = (warnings: QueryCheck["warnings"] = []): QueryCheck => ({
  pretty: "{}",
  warnings,
  error: null,
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
  it("places a syntax error at its line and column", () => {
    const text = '{\n  "query": {,}\n}';
    const [mark] = toDiagnostics(text, {
      pretty: null,
      warnings: [],
      error: { message: "expected a key", line: 2, column: 13, path: null },
    });
    expect(mark).toEqual({ from: 14, to: 15, severity: "error", message: "expected a key" });
    expect(text.slice(mark?.from, mark?.to)).toBe(",");
  });

  it("places a lint error by its query path", () => {
    const text = '{"query": {"bool": {"must": [{"match": {"experience.title": "x"}}]}}}';
    const [mark] = toDiagnostics(text, {
      pretty: null,
      warnings: [],
      error: { message: "not nested", line: null, column: null, path: "query.bool.must[0].match" },
    });
    expect(text.slice(mark?.from, mark?.to)).toBe('"match"');
  });

  it("marks the start when the path is not found, and maps warnings too", () => {
    const text = '{"query": {"match_all": {}}}';
    const marks = toDiagnostics(text, ok([{ path: "query.nope", message: "odd" }]));
    expect(marks).toEqual([{ from: 0, to: 1, severity: "warning", message: "odd" }]);
    expect(toDiagnostics(text, null)).toEqual([]);
    expect(toDiagnostics(text, ok())).toEqual([]);
  });

  it("marks the end of the text for an error at the end", () => {
    const text = '{"query": {';
    const [mark] = toDiagnostics(text, {
      pretty: null,
      warnings: [],
      error: { message: "EOF", line: 1, column: 12, path: null },
    });
    expect(mark).toMatchObject({ from: text.length, to: text.length });
  });
});

describe("findJsonPath", () => {
  const text = `{
  "query": {
    "bool": {
      "should": [
        { "term": { "location_country": "Germany" } },
        { "nested": { "path": "experience", "query": { "match": { "experience.title": "x" } } } }
      ]
    }
  }
}`;

  it("finds keys (even with dots in them) and array items", () => {
    const key = findJsonPath(text, "query.bool.should[1].nested.query.match.experience.title");
    expect(key && text.slice(key.from, key.to)).toBe('"experience.title"');
    const item = findJsonPath(text, "query.bool.should[0]");
    expect(item && text.charAt(item.from)).toBe("{");
    expect(findJsonPath(text, "query.missing")).toBeNull();
  });

  it("stops on text that is not JSON", () => {
    expect(findJsonPath("[1 : 2]", "x")).toBeNull();
    expect(findJsonPath('{"a": [1, }', "a[0]")).not.toBeNull();
  });
});
