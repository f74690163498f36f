// Completion and hover help for the query code, from the same field catalogue as the builder and
// the checks (Rust's `query/fields.rs`). Pure: the editor asks, these answer.
import type { QueryCatalogue } from "./backend";

/** One suggestion: a field name or a query type, with what it is. */
export interface Suggestion {
  label: string;
  type: "property" | "keyword";
  detail: string;
  info: string;
}

/** The word being typed inside quotes just before the cursor: `"experience.ti` gives `experience.ti`. */
export function quotedWordBefore(textBefore: string): string | null {
  const match = /"([A-Za-z0-9_.]*)$/.exec(textBefore);
  return match ? (match[1] ?? "") : null;
}

/** Field names and query types that start with `typed` (all of them when it is empty). */
export function suggestions(catalogue: QueryCatalogue, typed: string): Suggestion[] {
  const lower = typed.toLowerCase();
  const types: Suggestion[] = catalogue.query_types
    .filter((item) => item.name.startsWith(lower))
    .map((item) => ({ label: item.name, type: "keyword", detail: "query type", info: item.help }));
  const fields: Suggestion[] = catalogue.fields
    .filter((field) => field.name.toLowerCase().startsWith(lower))
    .map((field) => ({
      label: field.name,
      type: "property",
      detail: field.label,
      info: field.nested
        ? `${field.help} Search it inside "nested" with "path": "${field.nested}".`
        : field.help,
    }));
  return [...types, ...fields];
}

/** The word (letters, digits, `_`, `.`) around `offset` in `text`. */
export function wordAt(text: string, offset: number): { from: number; to: number; word: string } {
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.]/.test(c);
  let from = offset;
  let to = offset;
  while (from > 0 && isWord(text[from - 1])) from -= 1;
  while (to < text.length && isWord(text[to])) to += 1;
  return { from, to, word: text.slice(from, to) };
}

/** What a field name or query type means, in plain words; null for other words. */
export function helpFor(catalogue: QueryCatalogue, word: string): string | null {
  const field = catalogue.fields.find((item) => item.name === word);
  if (field) {
    const nested = field.nested ? ` Inside "nested" with "path": "${field.nested}".` : "";
    return `${field.label}: ${field.help}${nested}`;
  }
  const type = catalogue.query_types.find((item) => item.name === word);
  return type ? `${type.name}: ${type.help}` : null;
}
