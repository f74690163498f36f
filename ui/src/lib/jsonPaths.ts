// Finds where a query path such as `query.bool.must[0].match` sits in a JSON text, so a problem
// the backend reports by path (not by line) can be marked in the editor.

/** A character range in the text, end exclusive. */
export interface Span {
  from: number;
  to: number;
}

class Scanner {
  readonly spans = new Map<string, Span>();
  private pos = 0;

  constructor(private readonly text: string) {}

  run(): void {
    this.value("");
  }

  private skipSpace(): void {
    while (/\s/.test(this.text.charAt(this.pos))) this.pos += 1;
  }

  private value(path: string): void {
    this.skipSpace();
    const start = this.pos;
    const char = this.text.charAt(this.pos);
    if (path !== "" && !this.spans.has(path)) this.spans.set(path, { from: start, to: start + 1 });
    if (char === "{") this.object(path);
    else if (char === "[") this.array(path);
    else if (char === '"') this.string();
    else this.scalar();
  }

  private object(path: string): void {
    this.pos += 1;
    for (;;) {
      this.skipSpace();
      const char = this.text.charAt(this.pos);
      if (char === "}" || char === "") break;
      if (char === ",") {
        this.pos += 1;
        continue;
      }
      const from = this.pos;
      const key = this.string();
      const child = path === "" ? key : `${path}.${key}`;
      this.spans.set(child, { from, to: this.pos });
      this.skipSpace();
      if (this.text.charAt(this.pos) === ":") this.pos += 1;
      this.value(child);
    }
    this.pos += 1;
  }

  private array(path: string): void {
    this.pos += 1;
    for (let index = 0; ; index += 1) {
      this.skipSpace();
      const char = this.text.charAt(this.pos);
      if (char === "]" || char === "") break;
      const before = this.pos;
      this.value(`${path}[${index}]`);
      this.skipSpace();
      if (this.text.charAt(this.pos) === ",") this.pos += 1;
      else if (this.pos === before) break; // not JSON: stop rather than loop
    }
    this.pos += 1;
  }

  /** Reads a string token and returns its decoded content. */
  private string(): string {
    const start = this.pos;
    this.pos += 1;
    while (this.pos < this.text.length && this.text.charAt(this.pos) !== '"') {
      this.pos += this.text.charAt(this.pos) === "\\" ? 2 : 1;
    }
    this.pos += 1;
    try {
      return String(JSON.parse(this.text.slice(start, this.pos)));
    } catch {
      return this.text.slice(start + 1, this.pos - 1);
    }
  }

  private scalar(): void {
    while (this.pos < this.text.length && !/[\s,\]}]/.test(this.text.charAt(this.pos))) {
      this.pos += 1;
    }
  }
}

/** Where `path` sits in `text` (a key's name, or an array item's first character); null if absent. */
export function findJsonPath(text: string, path: string): Span | null {
  const scanner = new Scanner(text);
  scanner.run();
  return scanner.spans.get(path) ?? null;
}
