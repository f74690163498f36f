// Starter queries for the search editor. The first is the product page's example, verbatim.

export interface QueryTemplate {
  id: string;
  label: string;
  text: string;
}

const pretty = (query: unknown) => JSON.stringify(query, null, 2);

/** The product page's example: "Python" in the description, job title or experience. */
const pythonExample = {
  query: {
    bool: {
      should: [
        {
          query_string: {
            query: "Python",
            default_field: "description",
            default_operator: "and",
          },
        },
        {
          query_string: {
            query: "Python",
            default_field: "job_title",
            default_operator: "and",
          },
        },
        {
          nested: {
            path: "experience",
            query: {
              bool: {
                should: [
                  {
                    query_string: {
                      query: "Python",
                      default_field: "experience.description",
                      default_operator: "and",
                    },
                  },
                  {
                    query_string: {
                      query: "Python",
                      default_field: "experience.title",
                      default_operator: "and",
                    },
                  },
                ],
              },
            },
          },
        },
      ],
    },
  },
};

/** The templates offered in the editor's menu. */
export const TEMPLATES: readonly QueryTemplate[] = [
  { id: "python", label: "Python people (product page example)", text: pretty(pythonExample) },
  {
    id: "job-title",
    label: "Job title contains…",
    text: pretty({ query: { match_phrase: { job_title: "data analyst" } } }),
  },
  {
    id: "country",
    label: "People in a country",
    text: pretty({ query: { match: { location_country: "Germany" } } }),
  },
  {
    id: "employer",
    label: "Current employer",
    text: pretty({
      query: {
        nested: {
          path: "experience",
          query: {
            bool: {
              must: [
                { match_phrase: { "experience.company_name": "Acme" } },
                { bool: { must_not: [{ exists: { field: "experience.date_to" } }] } },
              ],
            },
          },
        },
      },
    }),
  },
];
