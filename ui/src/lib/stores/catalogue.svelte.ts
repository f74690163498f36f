// The field catalogue from Rust (fields, conditions, query types, starter searches), loaded once.
import { queryFields, type QueryCatalogue } from "../backend";

class Catalogue {
  value = $state<QueryCatalogue | null>(null);
  #loading: Promise<QueryCatalogue> | null = null;

  /** Loads the catalogue the first time it is asked for; later calls share that answer. */
  load(): Promise<QueryCatalogue> {
    this.#loading ??= queryFields().then(
      (value) => (this.value = value),
      (error: unknown) => {
        this.#loading = null;
        throw error;
      },
    );
    return this.#loading;
  }
}

export const catalogue = new Catalogue();
