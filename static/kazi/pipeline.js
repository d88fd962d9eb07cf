// A job's pipeline: one column per stage, each applicant a card with their match, skills, resume and notes.
// Cards move by drag and drop, by their "Move to" list (the keyboard's way), or several at once (the bulk bar).
// The workflow moves one stage at a time (marketplace/workflow.py): a card dropped further ahead walks there
// stage by stage, so the history and the candidate's notifications tell each step.
import { api } from "./api.js";
import { realtime } from "./app.js";
import { h, timeElement } from "./dom.js";
import { factorBars } from "./explain.js";
import { percent, place, plural, statusWord } from "./format.js";
import { slotText } from "./interview-times.js";
import { openScheduleDialog, scheduledText } from "./schedule-interview.js";

const root = document.getElementById("pipeline-page");
const jobId = root.dataset.jobId;
const board = document.getElementById("pipeline");
const status = document.getElementById("pipeline-status");
const candidates = document.getElementById("candidates");
const bulk = document.getElementById("bulk");
const bulkCount = document.getElementById("bulk-count");

const FLOW = ["pending", "reviewing", "shortlisted", "interview", "offered", "accepted"];
const CLOSED = ["rejected", "withdrawn"];
const OPEN = new Set(FLOW.slice(0, -1));
// Scheduling moves an application to `interview`: from shortlisted, or another round once there.
const SCHEDULABLE = new Set(["shortlisted", "interview"]);
let applications = [];
let matches = new Map(); // application id → {score, skills}
let interviewsOf = new Map(); // application id → its upcoming interviews
const selected = new Set();
const openNotes = new Set();
let dragged = null;

/** The stages a recruiter may send an application in `from` to: any later one, or rejected. */
function targets(from) {
  if (!OPEN.has(from)) return [];
  return [...FLOW.slice(FLOW.indexOf(from) + 1), "rejected"];
}

/** The single steps from `from` to `to`: forward one stage at a time; rejected is one step from anywhere open. */
function steps(from, to) {
  if (to === "rejected") return ["rejected"];
  return FLOW.slice(FLOW.indexOf(from) + 1, FLOW.indexOf(to) + 1);
}

async function moveTo(application, to) {
  let current = application;
  for (const step of steps(application.status, to)) {
    current = await api(`/api/applications/${current.id}/`, { method: "PATCH", json: { status: step } });
  }
  applications = applications.map((a) => (a.id === current.id ? current : a));
  return current;
}

async function move(application, to) {
  try {
    const updated = await moveTo(application, to);
    status.textContent = `${updated.candidate_name} moved to ${statusWord(updated.status)}.`;
  } catch (error) {
    status.textContent = `${application.candidate_name}: ${error.message}`;
    await load();
  }
  render();
  board.querySelector(`[data-application-id="${application.id}"] select`)?.focus();
}

function skillsLine(skills) {
  if (!skills) return null;
  const group = (title, names, kind) =>
    names.length ? h("ul", { class: `chips chips-${kind}`, "aria-label": title }, names.map((name) => h("li", { class: "chip" }, name))) : null;
  return h(
    "div",
    { class: "card-skills" },
    skills.summary ? h("p", { class: "small" }, skills.summary) : null,
    group("Skills matched", skills.matched, "matched"),
    group("Related skills", skills.partial, "partial"),
    group("Skills missing", skills.missing, "missing"),
  );
}

function resumeLinks(application) {
  const resume = application.resume;
  if (!resume) return h("p", { class: "muted small" }, "No resume attached");
  const base = `/api/documents/${resume.id}/download/`;
  return h(
    "p",
    { class: "small resume-links" },
    h("a", { href: `${base}?inline=1`, target: "_blank", rel: "noopener" }, "View resume", h("span", { class: "visually-hidden" }, ` of ${application.candidate_name}`)),
    " · ",
    h("a", { href: base, download: "" }, "Download", h("span", { class: "visually-hidden" }, ` ${resume.original_name}`)),
  );
}

function notesPanel(application) {
  const list = h("ul", { class: "notes-list" });
  const text = h("textarea", { id: `note-${application.id}`, rows: 2, maxlength: 5000, required: true });
  const error = h("p", { class: "field-error", role: "alert" });
  const form = h(
    "form",
    { class: "note-form" },
    h("label", { for: `note-${application.id}`, class: "small" }, `Note on ${application.candidate_name} (your company's recruiters see it)`),
    text,
    h("button", { type: "submit", class: "button small" }, "Add note"),
    error,
  );
  const showNotes = (notes) =>
    list.replaceChildren(
      ...(notes.length
        ? notes.map((note) => h("li", {}, h("p", {}, note.body), h("p", { class: "muted small" }, note.author_name, " · ", timeElement(note.created_at))))
        : [h("li", { class: "muted small" }, "No notes yet.")]),
    );
  const loadNotes = async () => {
    try {
      showNotes(await api(`/api/applications/${application.id}/notes/`));
    } catch (failure) {
      error.textContent = failure.message;
    }
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      await api(`/api/applications/${application.id}/notes/`, { method: "POST", json: { body: text.value } });
      text.value = "";
      await loadNotes();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  const details = h("details", { class: "notes" }, h("summary", {}, "Notes"), list, form);
  details.addEventListener("toggle", () => {
    if (details.open) {
      openNotes.add(application.id);
      loadNotes();
    } else openNotes.delete(application.id);
  });
  if (openNotes.has(application.id)) {
    details.open = true;
  }
  return details;
}

function upcomingInterviews(application) {
  const rows = interviewsOf.get(application.id) ?? [];
  if (!rows.length) return null;
  return h(
    "ul",
    { class: "card-interviews small", "aria-label": `Interviews with ${application.candidate_name}` },
    rows.map((interview) => h("li", {}, h("a", { href: `/interviews/${interview.id}/` }, `Interview ${slotText(interview)}`))),
  );
}

function card(application) {
  const name = application.candidate_name;
  const match = matches.get(application.id);
  const movable = OPEN.has(application.status);
  const selectId = `move-${application.id}`;
  const choose = h(
    "input",
    {
      type: "checkbox",
      class: "select-card",
      "aria-label": `Select ${name}`,
      checked: selected.has(application.id),
      disabled: !movable,
      onchange: (event) => {
        if (event.target.checked) selected.add(application.id);
        else selected.delete(application.id);
        showSelection();
      },
    },
  );
  const mover = movable
    ? h(
        "div",
        { class: "mover" },
        h("label", { for: selectId, class: "visually-hidden" }, `Move ${name} to`),
        h(
          "select",
          { id: selectId, class: "small" },
          h("option", { value: "" }, "Move to…"),
          targets(application.status).map((to) => h("option", { value: to }, statusWord(to))),
        ),
        h(
          "button",
          {
            type: "button",
            class: "button small",
            "aria-label": `Move ${name}`,
            onclick: (event) => {
              const to = event.target.closest(".mover").querySelector("select").value;
              if (to) move(application, to);
            },
          },
          "Move",
        ),
      )
    : null;
  const element = h(
    "li",
    {
      class: "app-card",
      draggable: movable ? "true" : null,
      dataset: { applicationId: String(application.id), status: application.status },
    },
    h(
      "div",
      { class: "card-head" },
      choose,
      h("a", { href: `/recruiter/candidates/${application.candidate}/`, class: "card-name" }, name),
      match ? h("span", { class: "score-pill", title: "Match score" }, percent(match.score)) : null,
    ),
    h("span", { class: "muted small" }, "Applied ", timeElement(application.created_at)),
    skillsLine(match?.skills),
    resumeLinks(application),
    upcomingInterviews(application),
    application.cover_letter ? h("p", { class: "cover" }, application.cover_letter.slice(0, 160)) : null,
    h(
      "div",
      { class: "actions" },
      mover,
      h("button", { type: "button", class: "button small", "aria-label": `Message ${name}`, onclick: () => message(application) }, "Message"),
      SCHEDULABLE.has(application.status)
        ? h("button", { type: "button", class: "button small", "aria-label": `Schedule an interview with ${name}`, onclick: () => schedule(application) }, "Schedule interview")
        : null,
    ),
    notesPanel(application),
  );
  if (movable) {
    element.addEventListener("dragstart", (event) => {
      dragged = application;
      event.dataTransfer.setData("text/plain", String(application.id));
      event.dataTransfer.effectAllowed = "move";
      element.classList.add("dragging");
      for (const column of board.querySelectorAll(".column")) {
        column.classList.toggle("drop-ok", targets(application.status).includes(column.dataset.status));
      }
    });
    element.addEventListener("dragend", () => {
      element.classList.remove("dragging");
      for (const column of board.querySelectorAll(".column")) column.classList.remove("drop-ok", "drop-over");
    });
  }
  return element;
}

function column(state) {
  const rows = applications.filter((a) => a.status === state);
  const section = h(
    "section",
    { class: "column", dataset: { status: state }, "aria-label": `${statusWord(state)}: ${plural(rows.length, "application")}` },
    h("h3", {}, statusWord(state), " ", h("span", { class: "count" }, String(rows.length))),
    h("ul", {}, rows.map(card)),
  );
  const accepts = () => dragged && targets(dragged.status).includes(state);
  section.addEventListener("dragover", (event) => {
    if (!accepts()) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    section.classList.add("drop-over");
  });
  section.addEventListener("dragleave", () => section.classList.remove("drop-over"));
  section.addEventListener("drop", (event) => {
    event.preventDefault();
    section.classList.remove("drop-over");
    const application = dragged;
    dragged = null;
    if (application && targets(application.status).includes(state)) move(application, state);
  });
  return section;
}

function render() {
  for (const id of [...selected]) {
    if (!applications.some((a) => a.id === id && OPEN.has(a.status))) selected.delete(id);
  }
  board.replaceChildren(...[...FLOW, ...CLOSED].map(column));
  showSelection();
}

function showSelection() {
  bulkCount.textContent = selected.size ? `${plural(selected.size, "application")} selected` : "None selected";
  bulk.querySelector("button").disabled = selected.size === 0;
}

bulk.addEventListener("submit", async (event) => {
  event.preventDefault();
  const to = bulk.elements.status.value;
  const chosen = applications.filter((a) => selected.has(a.id));
  bulk.querySelector("button").disabled = true;
  const parts = [];
  try {
    // One request for the whole selection: the server walks each one forward stage by stage.
    const result = await api("/api/applications/bulk-status/", {
      method: "POST",
      json: { application_ids: chosen.map((a) => a.id), status: to },
    });
    parts.push(`${plural(result.moved.length, "application")} moved to ${statusWord(to)}.`);
    if (result.skipped.length) {
      parts.push(`${plural(result.skipped.length, "application")} could not go there: ${result.skipped[0].reason}`);
    }
  } catch (error) {
    parts.push(`Nothing moved: ${error.message}`);
  }
  selected.clear();
  await load();
  status.textContent = parts.join(" ");
});

async function all(path) {
  const rows = [];
  let url = path;
  while (url && rows.length < 2000) {
    const data = await api(url);
    rows.push(...data.results);
    url = data.next ? new URL(data.next).pathname + new URL(data.next).search : null;
  }
  return rows;
}

async function load() {
  try {
    const [rows, scored, upcoming] = await Promise.all([
      all(`/api/applications/?job=${jobId}&page_size=100`),
      api(`/api/ai/jobs/${jobId}/applicants/`).catch(() => []),
      api("/api/interview/?upcoming=true&page_size=100").catch(() => ({ results: [] })),
    ]);
    applications = rows;
    interviewsOf = new Map();
    for (const interview of upcoming.results.filter((i) => String(i.job_id) === String(jobId))) {
      interviewsOf.set(interview.application_id, [...(interviewsOf.get(interview.application_id) ?? []), interview]);
    }
    matches = new Map(scored.map((row) => [row.application_id, row]));
    status.textContent = applications.length ? plural(applications.length, "application") : "No applications yet.";
    render();
  } catch (error) {
    status.textContent = `Could not load applications: ${error.message}`;
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

function schedule(application) {
  openScheduleDialog(application, {
    companyId: root.dataset.companyId,
    onScheduled: async (interview) => {
      await load(); // the application is at `interview` now
      status.replaceChildren(scheduledText(interview), " ", h("a", { href: `/interviews/${interview.id}/` }, "Open the interview"));
    },
  });
}

async function loadCandidates() {
  try {
    const rows = await api(`/api/ai/jobs/${jobId}/candidates/?limit=10`);
    if (!rows.length) {
      candidates.replaceChildren(h("li", { class: "muted" }, "No candidate has any of this job's skills yet."));
      return;
    }
    candidates.replaceChildren(
      ...rows.map(({ candidate, candidate_id, score, factors, skills }) =>
        h(
          "li",
          { class: "rec card" },
          h(
            "div",
            { class: "rec-head" },
            h("h3", {}, h("a", { href: `/recruiter/candidates/${candidate_id}/` }, `${candidate.user.first_name} ${candidate.user.last_name}`.trim() || candidate.user.email)),
            h("span", { class: "score-pill" }, percent(score)),
          ),
          h("p", { class: "job-meta" }, h("span", {}, candidate.headline || "No headline"), candidate.location ? h("span", {}, place(candidate.location, false)) : null),
          skillsLine(skills),
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
