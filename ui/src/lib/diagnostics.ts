// Maps the backend's query check onto editor diagnostics (pure: no CodeMirror state needed).
// Rust places every problem (line, column, length in the text as typed); this only turns those
// into offsets.
import type { QueryCheck } from "./backend";

/** The subset of CodeMirror's `Diagnostic` this app produces. */
export interface QueryDiagnostic {
  from: number;
  to: number;
  severity: "error" | "warning";
  message: string;
}

/** Offset of a 1-based line and column in `text`, clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf("\n", offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf("\n", offset);
  const end = lineEnd === -1 ? text.length : lineEnd;
  return Math.min(offset + Math.max(column - 1, 0), end);
}

/** The check's diagnostics (errors and warnings), each marking its place in `text`. */
export function toDiagnostics(text: string, check: QueryCheck | null): QueryDiagnostic[] {
  if (check === null) return [];
  return check.diagnostics.map(({ line, column, length, severity, message }) => {
    const from = offsetOf(text, line, column);
    const lineEnd = text.indexOf("\n", from);
    const end = lineEnd === -1 ? text.length : lineEnd;
    // Mark within the line; CodeMirror shows empty ranges (end of text) too.
    const to = Math.min(from + Math.max(length, 1), end);
    return { from, to, severity, message };
  });
}
