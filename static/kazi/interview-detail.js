// One interview: its facts, Join while the window is open, the calendar file; the assessment form for its
// interviewers (prefilled with their earlier one, or with the job's skills); every assessment side by side for
// the company's recruiters, with the averages.
import { api } from "./api.js";
import { me } from "./app.js";
import { h } from "./dom.js";
import { statusWord } from "./format.js";
import { clockText, joinState, slotText } from "./interview-times.js";

const root = document.getElementById("interview-page");
const id = root.dataset.interviewId;
const manages = root.dataset.manages === "true";
const form = document.getElementById("assessment-form");
const el = {
  facts: document.getElementById("interview-facts"),
  actions: document.getElementById("interview-actions"),
  status: document.getElementById("interview-status"),
  window: document.getElementById("assess-window"),
  result: document.getElementById("assessment-result"),
  error: document.getElementById("assessment-error"),
  compare: document.getElementById("assessments"),
};
const RECOMMENDATION = { strong_hire: "Strong hire", hire: "Hire", no_hire: "No hire", strong_no_hire: "Strong no hire" };
let interview = null;

// --- facts and actions ---------------------------------------------------------------------------
function renderFacts() {
  const rows = [
    ["When", slotText(interview)],
    ["Duration", `${interview.duration} minutes`],
    ["Status", statusWord(interview.status)],
    ["Candidate", interview.candidate.name],
    ["Panel", interview.interviewers.map((p) => p.name).join(", ")],
    ["Recording", interview.recording_enabled ? "This interview may be recorded" : "Not recorded"],
  ];
  el.facts.replaceChildren(...rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
  const state = joinState(interview);
  const join = !interview.my_role
    ? null
    : state === "open"
      ? h("a", { class: "button primary join", href: `/interview/${id}/` }, "Join")
      : state === "later"
        ? h("button", { type: "button", class: "button join", disabled: true }, `Join opens at ${clockText(interview.join_opens_at)}`)
        : null;
  const calendar = h("a", { class: "button", href: interview.calendar_url, download: `interview-${id}.ics` }, "Add to calendar (.ics)");
  el.actions.replaceChildren(...[join, calendar].filter(Boolean));
}

// --- the interviewer's form ------------------------------------------------------------------------
function skillRow(list, { skill = "", rating = 3 } = {}) {
  const n = list.children.length + 1;
  const kind = list.closest("fieldset").dataset.kind === "technical_skills" ? "Technical" : "Soft";
  const row = h(
    "li",
    { class: "skill-row" },
    h("input", { type: "text", class: "skill-name", value: skill, maxlength: 100, "aria-label": `${kind} skill ${n}` }),
    h(
      "select",
      { class: "skill-rating", "aria-label": `${kind} skill ${n} rating` },
      [1, 2, 3, 4, 5].map((value) => h("option", { value, selected: value === Number(rating) }, String(value))),
    ),
    h("button", { type: "button", class: "link-button danger", onclick: () => row.remove() }, "Remove", h("span", { class: "visually-hidden" }, ` ${kind.toLowerCase()} skill ${n}`)),
  );
  list.append(row);
}

function skillsOf(kind) {
  const list = form.querySelector(`fieldset[data-kind="${kind}"] .skill-rows`);
  return [...list.querySelectorAll(".skill-row")]
    .map((row) => ({ skill: row.querySelector(".skill-name").value.trim(), rating: Number(row.querySelector(".skill-rating").value) }))
    .filter((item) => item.skill);
}

function fill(assessment, jobSkills) {
  const lists = Object.fromEntries([...form.querySelectorAll("fieldset[data-kind]")].map((f) => [f.dataset.kind, f.querySelector(".skill-rows")]));
  for (const list of Object.values(lists)) list.replaceChildren();
  if (!assessment) {
    for (const skill of jobSkills.slice(0, 6)) skillRow(lists.technical_skills, { skill });
    skillRow(lists.soft_skills, { skill: "Communication" });
    return;
  }
  form.querySelector(`input[name=rating][value="${assessment.rating}"]`).checked = true;
  form.elements.overall_recommendation.value = assessment.overall_recommendation;
  form.elements.feedback.value = assessment.feedback;
  form.elements.notes.value = assessment.notes;
  for (const item of assessment.technical_skills) skillRow(lists.technical_skills, item);
  for (const item of assessment.soft_skills) skillRow(lists.soft_skills, item);
  el.result.textContent = "You assessed this interview; submitting again replaces your assessment.";
}

function assessmentWindow() {
  // The server's rule (interviews/windows.py): from 15 minutes before the start; never for a cancelled or
  // no-show interview. It also closes a while after completion, which the server answers with its reason.
  if (["cancelled", "no_show"].includes(interview.status)) return `This interview is ${statusWord(interview.status).toLowerCase()}: it cannot be assessed.`;
  if (Date.now() < Date.parse(interview.join_opens_at)) return `Assessments open at ${clockText(interview.join_opens_at)}, 15 minutes before the start.`;
  return "";
}

async function setUpForm() {
  const closed = assessmentWindow();
  el.window.textContent = closed || "Fill this in after the call. Only your company's recruiters read it.";
  form.querySelector("button[type=submit]").disabled = Boolean(closed);
  const job = await api(`/api/jobs/${interview.job_id}/`).catch(() => ({ skills_required: [] }));
  const mine = (interview.assessments ?? []).find((a) => String(a.interviewer.id) === me.id);
  fill(mine, job.skills_required ?? []);
}

async function submit(event) {
  event.preventDefault();
  el.error.textContent = "";
  el.result.textContent = "";
  const body = {
    rating: Number(new FormData(form).get("rating")),
    overall_recommendation: form.elements.overall_recommendation.value,
    feedback: form.elements.feedback.value,
    notes: form.elements.notes.value,
    technical_skills: skillsOf("technical_skills"),
    soft_skills: skillsOf("soft_skills"),
  };
  try {
    await api(`/api/interview/${id}/assessment/`, { method: "POST", json: body });
    el.result.textContent = "Assessment saved.";
    await load();
  } catch (error) {
    el.error.textContent = error.message;
  }
}

// --- side by side ------------------------------------------------------------------------------------
function compareTable(assessments, summary) {
  if (!assessments.length) return h("p", { class: "muted" }, "No assessment yet.");
  const skillNames = (field) => [...new Set(assessments.flatMap((a) => a[field].map((item) => item.skill)))].sort();
  const ratingOf = (a, field, skill) => a[field].find((item) => item.skill === skill)?.rating ?? "–";
  const recommendations = Object.entries(summary.recommendations).map(([key, count]) => `${RECOMMENDATION[key] ?? key}: ${count}`).join(", ");
  const rows = [
    ["Overall rating", (a) => `${a.rating} / 5`, summary.average_rating ?? "–"],
    ["Recommendation", (a) => RECOMMENDATION[a.overall_recommendation], recommendations],
    ...skillNames("technical_skills").map((skill) => [`Technical: ${skill}`, (a) => ratingOf(a, "technical_skills", skill), summary.technical_skills[skill] ?? "–"]),
    ...skillNames("soft_skills").map((skill) => [`Soft: ${skill}`, (a) => ratingOf(a, "soft_skills", skill), summary.soft_skills[skill] ?? "–"]),
    ["Feedback", (a) => a.feedback || "–", ""],
    ["Notes", (a) => a.notes || "–", ""],
  ];
  return h(
    "table",
    { class: "compare" },
    h("caption", { class: "visually-hidden" }, "Each interviewer's assessment in a column, the averages in the last"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ""), ...assessments.map((a) => h("th", { scope: "col" }, a.interviewer.name)), h("th", { scope: "col" }, "Average"))),
    h("tbody", {}, ...rows.map(([label, value, average]) => h("tr", {}, h("th", { scope: "row" }, label), ...assessments.map((a) => h("td", {}, String(value(a)))), h("td", { class: "average" }, String(average))))),
  );
}

async function load() {
  try {
    interview = await api(`/api/interview/${id}/`);
  } catch (error) {
    el.status.textContent = `Could not load the interview: ${error.message}`;
    return;
  }
  el.status.textContent = "";
  renderFacts();
  if (manages) el.compare.replaceChildren(compareTable(interview.assessments ?? [], interview.assessment_summary));
}

if (form) {
  form.addEventListener("submit", submit);
  for (const button of form.querySelectorAll(".add-skill")) {
    button.addEventListener("click", () => skillRow(button.closest("fieldset").querySelector(".skill-rows")));
  }
}
await load();
if (form && interview) await setUpForm();
setInterval(() => interview && renderFacts(), 30_000);
