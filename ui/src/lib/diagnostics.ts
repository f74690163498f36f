// Maps the backend's query check onto editor diagnostics (pure: no CodeMirror state needed).
import type { QueryCheck } from "./backend";
import { findJsonPath } from "./jsonPaths";

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

function placeAt(text: string, line: number | null, column: number | null, path: string | null) {
  if (line !== null) {
    const from = offsetOf(text, line, column ?? 1);
    // Mark one character when there is one on the line; CodeMirror shows empty ranges too.
    const to = from < text.length && text.charAt(from) !== "\n" ? from + 1 : from;
    return { from, to };
  }
  const span = path === null ? null : findJsonPath(text, path);
  return span ?? { from: 0, to: Math.min(1, text.length) };
}

/** The check's error (by line/column, else by path) and warnings (by path) as diagnostics. */
export function toDiagnostics(text: string, check: QueryCheck | null): QueryDiagnostic[] {
  if (check === null) return [];
  const diagnostics: QueryDiagnostic[] = [];
  if (check.error) {
    const { line, column, path, message } = check.error;
    diagnostics.push({ ...placeAt(text, line, column, path), severity: "error", message });
  }
  for (const warning of check.warnings) {
    const place = placeAt(text, null, null, warning.path);
    diagnostics.push({ ...place, severity: "warning", message: warning.message });
  }
  return diagnostics;
}
