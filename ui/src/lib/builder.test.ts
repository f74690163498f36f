import { describe, expect, it } from "vitest";
import { catalogueFixture } from "../test/fakeTauri";
import {
  addValue,
  looksFromCoresignal,
  builderFields,
  emptySearch,
  newRule,
  separateEntriesNote,
  withCondition,
  withField,
  withGroup,
  withRule,
} from "./builder";

describe("builder", () => {
  it("offers only the builder's fields and starts with one empty rule", () => {
    expect(builderFields(catalogueFixture).map((f) => f.name)).not.toContain("full_name");
    expect(emptySearch(catalogueFixture)).toEqual({
      groups: [{ mode: "all", rules: [{ field: "job_title", condition: "contains", values: [] }] }],
    });
    expect(newRule(catalogueFixture, "location_country").condition).toBe("is_one_of");
  });

  it("keeps what still fits when the field or the condition changes", () => {
    const rule = { field: "job_title", condition: "is_phrase" as const, values: ["data engineer"] };
    expect(withField(catalogueFixture, rule, "experience.company_name")).toEqual({
      field: "experience.company_name",
      condition: "is_phrase",
      values: ["data engineer"],
    });
    expect(withField(catalogueFixture, rule, "is_working")).toEqual({
      field: "is_working",
      condition: "is_yes",
      values: [],
    });
    const countries = {
      field: "location_country",
      condition: "is_one_of" as const,
      values: ["Germany", "France"],
    };
    expect(withField(catalogueFixture, countries, "job_title").values).toEqual(["Germany"]);
    expect(withField(catalogueFixture, rule, "no_such_field")).toBe(rule);
    const dated = {
      field: "last_updated",
      condition: "on_or_after" as const,
      values: ["2026-01-01"],
    };
    expect(withCondition(catalogueFixture, dated, "on_or_before").values).toEqual(["2026-01-01"]);
  });

  it("replaces and removes groups and rules without touching the others", () => {
    const search = {
      groups: [
        {
          mode: "any" as const,
          rules: [newRule(catalogueFixture), newRule(catalogueFixture, "is_working")],
        },
        { mode: "none" as const, rules: [newRule(catalogueFixture)] },
      ],
    };
    const first = search.groups[0]!;
    const fewer = withGroup(search, 0, withRule(first, 0, null));
    expect(fewer.groups[0]!.rules.map((r) => r.field)).toEqual(["is_working"]);
    expect(fewer.groups[1]).toBe(search.groups[1]);
    expect(withGroup(search, 1, null).groups).toHaveLength(1);
  });

  it("says when work-history conditions of one group may be met by different jobs", () => {
    const company = (value: string) => ({
      field: "experience.company_name",
      condition: "contains" as const,
      values: value ? [value] : [],
    });
    const title = { field: "job_title", condition: "contains" as const, values: ["sales"] };
    const note = (mode: "all" | "any" | "none", rules: ReturnType<typeof company>[]) =>
      separateEntriesNote(catalogueFixture, { mode, rules });
    expect(note("all", [company("Siemens"), company("Bosch")])).toContain("a different job");
    expect(note("all", [company("Siemens"), title])).toBeNull();
    expect(note("all", [company("Siemens"), company("")]), "an empty rule is left out").toBeNull();
    expect(note("any", [company("Siemens"), company("Bosch")])).toBeNull();
  });

  it("adds a value once, trimmed, and never an empty one", () => {
    expect(addValue(["Germany"], "  France ")).toEqual(["Germany", "France"]);
    expect(addValue(["Germany"], "Germany")).toEqual(["Germany"]);
    expect(addValue([], "   ")).toEqual([]);
  });
});

describe("a paste from Coresignal", () => {
  it("is a cURL command or a request body with more than a query; plain query code is not", () => {
    expect(looksFromCoresignal("curl -X POST 'https://api.coresignal.com/…' -d '{}'")).toBe(true);
    expect(looksFromCoresignal("  CURL \\\n -d '{}'")).toBe(true);
    expect(looksFromCoresignal('{"query": {"match_all": {}}, "size": 20}')).toBe(true);
    expect(looksFromCoresignal('{"es_dsl_query": {"query": {}}}')).toBe(true);
    expect(looksFromCoresignal('{"query": {"match_all": {}}}')).toBe(false);
    expect(looksFromCoresignal("curly hair")).toBe(false);
    expect(looksFromCoresignal("python")).toBe(false);
  });
});
