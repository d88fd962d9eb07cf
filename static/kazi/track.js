// What the pages tell analytics (POST /api/analytics/events/): a seeker opening a job and searching jobs.
// Matching's recent-activity factor and trending jobs read these events (docs/matching.md).
//
// Best effort by design: the user never sees a failure, nothing is retried, and plain fetch() is used rather
// than api(), which sends the page to the login form on a 401 — recording a view must never move the user.
import { csrfToken } from "./api.js";

const EVENTS = "/api/analytics/events/";
const LAST_SEARCH = "kazi.lastSearch";
const SEARCH_DELAY_MS = 800;

function send(eventType, jobId, metadata) {
  if (!document.body.dataset.userId) return Promise.resolve(false);
  const body = JSON.stringify({ event_type: eventType, job_id: jobId ?? null, metadata });
  return fetch(EVENTS, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body,
    credentials: "same-origin",
    // keepalive: a view recorded as the seeker clicks on to another page still arrives.
    keepalive: true,
  }).then(
    (response) => response.ok,
    () => false,
  );
}

/** One `job_view` for this page view of the job. */
export function trackJobView(jobId) {
  return send("job_view", Number(jobId), {});
}

let pendingSearch = null;

function lastSearch() {
  try {
    return sessionStorage.getItem(LAST_SEARCH);
  } catch {
    return null; // storage refused (privacy settings): every distinct search of this page still counts once
  }
}

function rememberSearch(key) {
  try {
    sessionStorage.setItem(LAST_SEARCH, key);
  } catch {
    // the same as above: nothing to remember it in
  }
}

let lastSent = lastSearch();

/**
 * A `job_search` for the search the list now shows: `query` is the search box, `filters` the other fields.
 * Waits SEARCH_DELAY_MS for the seeker to settle (a search changed again meanwhile replaces it), and sends a
 * search only when it differs from the last one sent in this tab, so paging through results, reloading or
 * coming back to the list does not count it again. The plain list (no query, no filter) is not a search.
 */
export function trackJobSearch({ query, filters, results }) {
  clearTimeout(pendingSearch);
  const sorted = Object.fromEntries(Object.entries(filters).sort(([a], [b]) => a.localeCompare(b)));
  if (!query && !Object.keys(sorted).length) return;
  const key = JSON.stringify([query.replace(/\s+/g, " ").trim().toLowerCase(), sorted]);
  if (key === lastSent) return;
  pendingSearch = setTimeout(() => {
    lastSent = key;
    rememberSearch(key);
    send("job_search", null, { query, filters: sorted, results });
  }, SEARCH_DELAY_MS);
}
