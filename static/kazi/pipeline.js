// A job's applications pipeline (buttons move an application along) and its best candidates.
import { api } from "./api.js";
import { realtime } from "./app.js";
import { h, label, timeElement } from "./dom.js";
import { factorBars } from "./explain.js";

const root = document.getElementById("pipeline-page");
const jobId = root.dataset.jobId;
const board = document.getElementById("pipeline");
const status = document.getElementById("pipeline-status");
const candidates = document.getElementById("candidates");

const FLOW = ["pending", "reviewing", "shortlisted", "interview", "offered", "accepted"];
const CLOSED = ["rejected", "withdrawn"];
const OPEN = new Set(FLOW.slice(0, -1));
let applications = [];

function card(application) {
  const next = FLOW[FLOW.indexOf(application.status) + 1];
  const name = application.candidate_name;
  const buttons = [];
  if (OPEN.has(application.status)) {
    buttons.push(
      h(
        "button",
        {
          type: "button",
          class: "button primary small",
          dataset: { action: "advance", to: next },
          "aria-label": `Move ${name} to ${label(next)}`,
          onclick: () => move(application, next),
        },
        `→ ${label(next)}`,
      ),
      h(
        "button",
        {
          type: "button",
          class: "button danger small",
          dataset: { action: "reject" },
          "aria-label": `Reject ${name}`,
          onclick: () => move(application, "rejected"),
        },
        "Reject",
      ),
    );
  }
  buttons.push(
    h("button", { type: "button", class: "button small", "aria-label": `Message ${name}`, onclick: () => message(application) }, "Message"),
  );
  return h(
    "li",
    { class: "app-card", dataset: { applicationId: String(application.id), status: application.status } },
    h("strong", {}, name),
    h("span", { class: "muted small" }, "Applied ", timeElement(application.created_at)),
    application.cover_letter ? h("p", { class: "cover" }, application.cover_letter.slice(0, 160)) : null,
    h("div", { class: "actions" }, buttons),
  );
}

function render() {
  const columns = [...FLOW, ...CLOSED].map((state) => {
    const rows = applications.filter((a) => a.status === state);
    return h(
      "section",
      { class: "column", dataset: { status: state }, "aria-label": `${label(state)}: ${rows.length}` },
      h("h3", {}, label(state), " ", h("span", { class: "count" }, String(rows.length))),
      h("ul", {}, rows.map(card)),
    );
  });
  board.replaceChildren(...columns);
}

async function load() {
  try {
    const data = await api(`/api/applications/?job=${jobId}&page_size=100`);
    applications = data.results;
    status.textContent = applications.length ? `${applications.length} applications` : "No applications yet.";
    render();
  } catch (error) {
    status.textContent = `Could not load applications: ${error.message}`;
  }
}

async function move(application, to) {
  try {
    const updated = await api(`/api/applications/${application.id}/`, { method: "PATCH", json: { status: to } });
    applications = applications.map((a) => (a.id === updated.id ? updated : a));
    status.textContent = `${updated.candidate_name} is now ${label(updated.status)}.`;
    render();
    board.querySelector(`[data-application-id="${updated.id}"] button`)?.focus();
  } catch (error) {
    status.textContent = error.message;
  }
}

async function message(application) {
  try {
    const conversation = await api("/api/chat/conversations/", {
      method: "POST",
      json: { participant_id: Number(application.candidate), related_job: Number(jobId) },
    });
    location.assign(`/chat/${conversation.id}/`);
  } catch (error) {
    status.textContent = error.message;
  }
}

async function loadCandidates() {
  try {
    const rows = await api(`/api/ai/jobs/${jobId}/candidates/?limit=10`);
    if (!rows.length) {
      candidates.replaceChildren(h("li", { class: "muted" }, "No matching candidates yet."));
      return;
    }
    candidates.replaceChildren(
      ...rows.map(({ candidate, score, factors }) =>
        h(
          "li",
          { class: "rec card" },
          h(
            "div",
            { class: "rec-head" },
            h("h3", {}, `${candidate.user.first_name} ${candidate.user.last_name}`.trim() || candidate.user.email),
            h("span", { class: "score-pill" }, `${Math.round(score)}%`),
          ),
          h("p", { class: "job-meta" }, h("span", {}, candidate.headline || "—"), h("span", {}, candidate.location || "")),
          candidate.skills?.length
            ? h("ul", { class: "chips", "aria-label": "Skills" }, candidate.skills.slice(0, 8).map((s) => h("li", { class: "chip" }, s.name)))
            : null,
          factorBars(factors),
        ),
      ),
    );
  } catch (error) {
    candidates.replaceChildren(h("li", { class: "field-error" }, `Could not load candidates: ${error.message}`));
  }
}

realtime.on("application_received", (event) => {
  if (String(event.job_id) === String(jobId)) load();
});
realtime.on("application_status_changed", (event) => {
  if (String(event.job_id) === String(jobId)) load();
});
load();
loadCandidates();
