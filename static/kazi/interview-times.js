// What the interview pages share: the join window (the server's rule, interviews/windows.py: open from
// join_opens_at, 15 minutes before the start, until the end, while scheduled or in progress) and times in words.

const JOINABLE = new Set(["scheduled", "in_progress"]);
const WHEN = new Intl.DateTimeFormat("en", { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
const CLOCK = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit" });

/** "open" (Join now), "later" (the window has not opened) or "closed" (over, cancelled, ended). */
export function joinState(interview, now = Date.now()) {
  if (!JOINABLE.has(interview.status)) return "closed";
  if (now < Date.parse(interview.join_opens_at)) return "later";
  if (now >= Date.parse(interview.ends_at)) return "closed";
  return "open";
}

/** "Tue, 6 Jan 2031, 09:00–10:00" in the reader's own zone. */
export function slotText(interview) {
  return `${WHEN.format(new Date(interview.scheduled_at))}–${CLOCK.format(new Date(interview.ends_at))}`;
}

export function clockText(iso) {
  return CLOCK.format(new Date(iso));
}

/** Still to come or running: listed under "Upcoming". */
export function isUpcoming(interview, now = Date.now()) {
  return JOINABLE.has(interview.status) && Date.parse(interview.ends_at) > now;
}
