// Plain-words formatting shared by every screen. The UI is in English, so numbers use en-US grouping.

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 1751 → "1,751". */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** "1 job", "1,234 jobs": a count with its noun in the right number. */
export function countOf(value: number, one: string, many: string): string {
  return `${formatCount(value)} ${value === 1 ? one : many}`;
}

/** Bytes as B, KB, MB or GB with one decimal above a kilobyte. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Seconds as "42 s", "3 min 5 s" or "2 h 10 min". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** An ISO time as the user's local date and time, e.g. "Mar 4, 2026, 14:05". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** An ISO time as the user's local date only, e.g. "Apr 3, 2026". */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** Credits as money at the person's price per credit: "€20.00" (or "20.00 XYZ" for a code Intl does not know). */
export function formatMoney(credits: number, price: { amount: number; currency: string }): string {
  const value = credits * price.amount;
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: price.currency }).format(
      value,
    );
  } catch {
    return `${value.toFixed(2)} ${price.currency}`;
  }
}

/**
 * Practice spends nothing: said instead of a price or a balance.
 * "Practice: nothing is spent (a real account would pay 25 credits)".
 */
export function practiceNote(
  credits: number,
  tense: "would pay" | "would have paid" = "would pay",
): string {
  return `Practice: nothing is spent (a real account ${tense} ${countOf(credits, "credit", "credits")})`;
}
