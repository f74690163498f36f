// The visual builder's edits, as pure functions over the Search the Rust side reads and writes
// (`builderToQuery` / `queryToBuilder`). The catalogue (fields, conditions) comes from Rust too.
import type {
  Condition,
  ConditionInfo,
  FieldInfo,
  Group,
  GroupMode,
  QueryCatalogue,
  Rule,
  Search,
} from "./backend";

/** How a group's rules combine, in the builder's words. */
export const GROUP_MODES: { mode: GroupMode; label: string }[] = [
  { mode: "all", label: "All of these" },
  { mode: "any", label: "Any of these" },
  { mode: "none", label: "None of these" },
];

/** The fields the builder offers, in catalogue order. */
export function builderFields(catalogue: QueryCatalogue): FieldInfo[] {
  return catalogue.fields.filter((field) => field.builder);
}

/** A field by name. */
export function fieldNamed(catalogue: QueryCatalogue, name: string): FieldInfo | undefined {
  return catalogue.fields.find((field) => field.name === name);
}

/** The conditions a field can take. */
export function conditionsFor(catalogue: QueryCatalogue, field: FieldInfo): ConditionInfo[] {
  return catalogue.conditions.filter((info) => info.kind === field.kind);
}

/** The condition's entry for a field (label, how many values). */
export function conditionInfo(
  catalogue: QueryCatalogue,
  field: FieldInfo,
  condition: Condition,
): ConditionInfo | undefined {
  return conditionsFor(catalogue, field).find((info) => info.condition === condition);
}

/** Values kept when a rule's condition changes: none, the first, or all of them. */
function valuesFor(info: ConditionInfo | undefined, values: string[]): string[] {
  if (!info || info.values === "none") return [];
  if (info.values === "one") return values.slice(0, 1);
  return values;
}

/** A new rule on `fieldName` (the first builder field by default), with its first condition. */
export function newRule(catalogue: QueryCatalogue, fieldName?: string): Rule {
  const fields = builderFields(catalogue);
  const field = (fieldName ? fieldNamed(catalogue, fieldName) : undefined) ?? fields[0];
  const condition = field ? conditionsFor(catalogue, field)[0]?.condition : undefined;
  return { field: field?.name ?? "job_title", condition: condition ?? "contains", values: [] };
}

/** The rule on another field: its condition kept when the field can take it, its values too. */
export function withField(catalogue: QueryCatalogue, rule: Rule, fieldName: string): Rule {
  const field = fieldNamed(catalogue, fieldName);
  if (!field) return rule;
  const kept = conditionInfo(catalogue, field, rule.condition);
  const info = kept ?? conditionsFor(catalogue, field)[0];
  if (!info) return rule;
  return { field: field.name, condition: info.condition, values: valuesFor(info, rule.values) };
}

/** The rule with another condition, keeping the values it can take. */
export function withCondition(catalogue: QueryCatalogue, rule: Rule, condition: Condition): Rule {
  const field = fieldNamed(catalogue, rule.field);
  const info = field ? conditionInfo(catalogue, field, condition) : undefined;
  return { ...rule, condition, values: valuesFor(info, rule.values) };
}

/** A search with one group and one empty rule: where the builder starts. */
export function emptySearch(catalogue: QueryCatalogue): Search {
  return { groups: [{ mode: "all", rules: [newRule(catalogue)] }] };
}

/** The search with group `index` replaced (or removed when `group` is null). */
export function withGroup(search: Search, index: number, group: Group | null): Search {
  const groups = search.groups.flatMap((item, at) =>
    at !== index ? [item] : group ? [group] : [],
  );
  return { groups };
}

/** The group with rule `index` replaced (or removed when `rule` is null). */
export function withRule(group: Group, index: number, rule: Rule | null): Group {
  const rules = group.rules.flatMap((item, at) => (at !== index ? [item] : rule ? [rule] : []));
  return { ...group, rules };
}

/**
 * For an "all of these" group with two or more conditions on the same list (work history,
 * education): a sentence saying that each may be met by a different entry of it (a title in one
 * job, a company in another), as the query code asks. Null otherwise.
 */
export function separateEntriesNote(catalogue: QueryCatalogue, group: Group): string | null {
  if (group.mode !== "all") return null;
  const roots = group.rules
    .filter((rule) => rule.values.length > 0)
    .map((rule) => fieldNamed(catalogue, rule.field)?.nested ?? null)
    .filter((root): root is string => root !== null);
  if (roots.filter((root) => root === "experience").length > 1)
    return "Each work-history condition here can be met by a different job: for example the title in one job and the company in another.";
  if (roots.filter((root) => root === "education").length > 1)
    return "Each education condition here can be met by a different school or degree.";
  return null;
}

/** Adds `value` to a list of values (trimmed; an empty or repeated value is not added). */
export function addValue(values: string[], value: string): string[] {
  const trimmed = value.trim();
  if (trimmed === "" || values.includes(trimmed)) return values;
  return [...values, trimmed];
}

/** Whether pasted text looks like a search copied from Coresignal: a cURL command, or a request
 *  body with a query beside other keys (plain query code pastes as it is). Rust reads it. */
export function looksFromCoresignal(text: string): boolean {
  const trimmed = text.trim();
  if (/^curl[\s\\]/i.test(trimmed)) return true;
  if (!trimmed.startsWith("{")) return false;
  try {
    const body: unknown = JSON.parse(trimmed);
    if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
    const keys = Object.keys(body);
    return keys.includes("es_dsl_query") || (keys.includes("query") && keys.length > 1);
  } catch {
    return false;
  }
}
