// How the pages write counts, money, places, statuses, scores and dates: one way, here. The twin of
// core/text.py (the server's templates and messages); tests/web/test_text.py runs both on the same examples.

const IRREGULAR = { person: "people", company: "companies", match: "matches", search: "searches" };
const GROUPED = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const WHOLE = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

/** "1 application", "2 applications", "1,200 jobs". */
export function plural(count, noun, many) {
  const word = count === 1 ? noun : many ?? IRREGULAR[noun] ?? `${noun}s`;
  return `${GROUPED.format(count)} ${word}`;
}

/** "USD 55,000". */
export function money(amount, currency = "USD") {
  if (amount === null || amount === undefined || amount === "") return "";
  return `${String(currency || "").toUpperCase()} ${WHOLE.format(Number(amount))}`.trim();
}

/** "USD 55,000–68,000", "From USD 55,000", "Up to USD 68,000", or "". */
export function salaryRange(low, high, currency = "USD") {
  const has = (value) => value !== null && value !== undefined && value !== "";
  if (!has(low) && !has(high)) return "";
  if (has(low) && has(high)) {
    if (Number(low) === Number(high)) return money(low, currency);
    return `${money(low, currency)}–${WHOLE.format(Number(high))}`;
  }
  return has(low) ? `From ${money(low, currency)}` : `Up to ${money(high, currency)}`;
}

export function salary(job) {
  return salaryRange(job.salary_min, job.salary_max, job.currency);
}

/** "Remote", "Remote · Nairobi, Kenya", "Nairobi, Kenya" (never "Remote · Remote"). */
export function place(location, remote) {
  const where = String(location ?? "").trim();
  if (remote) {
    if (!where || ["remote", "anywhere", "worldwide"].includes(where.toLowerCase())) return "Remote";
    return `Remote · ${where}`;
  }
  return where || "Location not given";
}

/** "interview" → "Interview", "full_time" → "Full time". */
export function statusWord(status) {
  return String(status ?? "").replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}

/** Whole percents wherever a person reads a score: 83.8 → "84%". */
export function percent(value) {
  return value === null || value === undefined ? "" : `${Math.round(Number(value))}%`;
}

const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "4 Dec 2026" (UTC, as the server stores it). */
export function day(iso) {
  return iso ? DATE.format(new Date(iso)) : "";
}

/** When a job was posted: when it opened, else when it was written (both lists read the same moment). */
export function postedAt(job) {
  return job.published_at || job.created_at;
}
