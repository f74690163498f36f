// Form checks with messages in plain words. Each returns the parsed value or the message to show.

/** The service's cap on profiles per request. */
export const MAX_PROFILES = 10_000;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** The optional `limit` field: empty means "no limit"; otherwise a whole number 1–10,000. */
export function checkLimit(text: string): Checked<number | null> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: null };
  if (!/^\d+$/.test(trimmed)) {
    return { ok: false, message: "Enter a whole number of profiles, like 500." };
  }
  const value = Number(trimmed);
  if (value < 1 || value > MAX_PROFILES) {
    return { ok: false, message: "Enter a number from 1 to 10,000, or leave it empty." };
  }
  return { ok: true, value };
}

/** The optional webhook address: empty, or a full https:// address. */
export function checkWebhook(text: string): Checked<string | null> {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: null };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return {
      ok: false,
      message: "This is not a web address. It should look like https://example.com/hook.",
    };
  }
  if (url.protocol !== "https:" || url.hostname === "") {
    return {
      ok: false,
      message:
        "The webhook address must start with https:// (for example https://example.com/hook).",
    };
  }
  return { ok: true, value: trimmed };
}

/** A whole number within `min`–`max` (settings fields). */
export function checkWholeNumber(text: string, min: number, max: number): Checked<number> {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || value < min || value > max) {
    return { ok: false, message: `Enter a whole number from ${min} to ${max}.` };
  }
  return { ok: true, value };
}

/** An optional whole number within `min`–`max`: empty means none (e.g. no limit per request). */
export function checkOptionalWholeNumber(
  text: string | number,
  min: number,
  max: number,
): Checked<number | null> {
  const trimmed = String(text ?? "").trim();
  if (trimmed === "") return { ok: true, value: null };
  const checked = checkWholeNumber(trimmed, min, max);
  if (!checked.ok) return { ok: false, message: `${checked.message} Or leave it empty.` };
  return checked;
}

/** An optional price per credit: empty means none; else a positive amount and a 3-letter code. */
export function checkPrice(
  amountText: string | number,
  currencyText: string,
): Checked<{ amount: number; currency: string } | null> {
  const trimmed = String(amountText ?? "").trim();
  if (trimmed === "") return { ok: true, value: null };
  const amount = Number(trimmed.replace(",", "."));
  if (!Number.isFinite(amount) || amount <= 0 || amount > 1000) {
    return { ok: false, message: "Enter the price of one credit, like 0.02, or leave it empty." };
  }
  const currency = currencyText.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    return { ok: false, message: "Enter the currency as three letters, like EUR or USD." };
  }
  return { ok: true, value: { amount, currency } };
}
