// The interviews page: upcoming and past interviews of the user (recruiters: also their company's), each with
// Join while its window is open, the calendar file, and its page (assessments).
import { api } from "./api.js";
import { me, realtime } from "./app.js";
import { h } from "./dom.js";
import { statusWord } from "./format.js";
import { clockText, isUpcoming, joinState, slotText } from "./interview-times.js";

const el = {
  status: document.getElementById("interviews-status"),
  upcoming: document.getElementById("upcoming"),
  upcomingEmpty: document.getElementById("upcoming-empty"),
  past: document.getElementById("past"),
  pastEmpty: document.getElementById("past-empty"),
};
let interviews = [];

function who(interview) {
  const panel = interview.interviewers.map((p) => p.name).join(", ");
  if (interview.my_role === "candidate") return `With ${panel || interview.company}`;
  return `Candidate: ${interview.candidate.name} · Panel: ${panel}`;
}

function joinControl(interview) {
  // The company's recruiters see interviews they take no part in: only participants enter the room.
  if (!interview.my_role) return null;
  const state = joinState(interview);
  if (state === "open") {
    return h("a", { class: "button primary join", href: `/interview/${interview.id}/` }, "Join", h("span", { class: "visually-hidden" }, ` the interview for ${interview.job_title}`));
  }
  if (state === "later") {
    return h("button", { type: "button", class: "button join", disabled: true }, `Join opens at ${clockText(interview.join_opens_at)}`);
  }
  return null;
}

function card(interview) {
  return h(
    "li",
    { class: "card interview-card", dataset: { interviewId: String(interview.id), status: interview.status } },
    h("h3", {}, h("a", { href: `/interviews/${interview.id}/` }, interview.job_title), h("span", { class: "muted" }, ` · ${interview.company}`)),
    h(
      "p",
      { class: "job-meta" },
      h("span", { class: "slot" }, slotText(interview)),
      h("span", {}, `${interview.duration} min`),
      h("strong", { class: `status status-${interview.status}` }, statusWord(interview.status)),
      interview.recording_enabled ? h("span", { class: "recording-note" }, "Recorded") : null,
    ),
    h("p", { class: "small" }, who(interview)),
    h(
      "div",
      { class: "actions" },
      joinControl(interview),
      h("a", { class: "button small", href: interview.calendar_url, download: `interview-${interview.id}.ics` }, "Add to calendar (.ics)"),
      h("a", { class: "button small", href: `/interviews/${interview.id}/` }, interview.my_role === "interviewer" ? "Details and assessment" : "Details"),
    ),
  );
}

function render() {
  const now = Date.now();
  const upcoming = interviews.filter((i) => isUpcoming(i, now)).sort((a, b) => Date.parse(a.scheduled_at) - Date.parse(b.scheduled_at));
  const past = interviews.filter((i) => !isUpcoming(i, now));
  el.upcoming.replaceChildren(...upcoming.map(card));
  el.past.replaceChildren(...past.map(card));
  el.upcomingEmpty.hidden = upcoming.length > 0;
  el.pastEmpty.hidden = past.length > 0;
}

async function load() {
  try {
    // Newest first; the last 100 cover what a person looks for here.
    const data = await api("/api/interview/?page_size=100");
    interviews = data.results;
    el.status.textContent = me.type === "job_seeker" ? "Your interviews, in your time zone." : "Your and your company's interviews, in your time zone.";
    render();
  } catch (error) {
    el.status.textContent = `Could not load interviews: ${error.message}`;
  }
}

// Interview news (scheduled, moved, cancelled) arrives as notifications: reload the list.
realtime.on("notification", (event) => {
  if (String(event.notification_type || "").startsWith("interview_")) load();
});
realtime.on("interview_reminder", load);
// The Join button appears when the window opens without a reload.
setInterval(render, 30_000);
load();
