// The plan question: which Coresignal plan the account is on, asked on every way to a live key
// (first start, Settings) before any price is shown. Until it is answered, or a delivery measured
// the figure, the core prices Live requests on an assumed 10 credits a profile and says so.
import type { Settings } from "./backend";

/** The person's answer: 10 a profile (2025 or later), 1 (an older plan), or not known. */
export type Plan = "10" | "1" | "unknown";

/**
 * The settings that record `plan`, or null when nothing changes: "I don't know" leaves the plan
 * unknown, so prices stay on the assumed figure until a delivery measures it.
 */
export function planSettings(settings: Settings, plan: Plan): Settings | null {
  if (plan === "unknown") return null;
  const credits = plan === "1" ? 1 : 10;
  if (settings.plan_known && settings.credits_per_record === credits) return null;
  return { ...settings, credits_per_record: credits, plan_known: true };
}
