// A seeker's profile over GET/PATCH /api/profile/, and what their latest resume suggests, accepted field by field
// (POST /api/documents/{id}/accept/). Skills the resume names are offered one by one as well.
import { api } from "./api.js";
import { realtime } from "./app.js";
import { h } from "./dom.js";
import { plural } from "./format.js";

const form = document.getElementById("profile-form");
const skillList = document.getElementById("pf-skills");
const newSkill = document.getElementById("pf-new-skill");
const skillSuggestions = document.getElementById("pf-skill-suggestions");
const skillSuggestTitle = document.getElementById("pf-skill-suggest-title");
const suggestionsCard = document.getElementById("resume-suggestions");
const suggestionRows = document.getElementById("suggestion-rows");
const error = document.getElementById("pf-error");
const saved = document.getElementById("pf-saved");

const FIELD_NAMES = {
  name: "Name",
  headline: "Headline",
  summary: "Summary",
  skills: "Skills",
  experience_years: "Years of experience",
  experience_level: "Experience level",
};
let skills = [];
let suggestions = null;

function showSkills() {
  skillList.replaceChildren(
    ...skills.map((skill, index) =>
      h(
        "li",
        { class: "chip" },
        skill.name,
        h(
          "button",
          {
            type: "button",
            class: "remove",
            "aria-label": `Remove ${skill.name}`,
            onclick: () => {
              skills.splice(index, 1);
              showSkills();
              newSkill.focus();
            },
          },
          "×",
        ),
      ),
    ),
  );
  const have = new Set(skills.map((skill) => skill.name.toLowerCase()));
  const offered = (suggestions?.fields?.skills ?? []).filter((name) => !have.has(String(name).toLowerCase()));
  skillSuggestTitle.hidden = offered.length === 0;
  skillSuggestions.replaceChildren(
    ...offered.map((name) =>
      h(
        "li",
        {},
        h("button", { type: "button", class: "chip chip-add", "aria-label": `Add ${name} to your skills`, onclick: () => addSkill(name) }, `+ ${name}`),
      ),
    ),
  );
}

function addSkill(name) {
  const clean = String(name).trim();
  if (!clean || skills.some((skill) => skill.name.toLowerCase() === clean.toLowerCase())) return;
  skills.push({ name: clean });
  showSkills();
  saved.textContent = `${clean} added; save the profile to keep it.`;
}

function described(field, value) {
  if (Array.isArray(value)) return value.join(", ");
  if (field === "experience_years") return plural(Number(value), "year");
  return String(value);
}

function showSuggestions() {
  const fields = Object.entries(suggestions?.fields ?? {});
  suggestionsCard.hidden = fields.length === 0;
  suggestionRows.replaceChildren(
    ...fields.map(([field, value]) =>
      h(
        "div",
        { class: "suggestion-row", dataset: { field } },
        h("div", {}, h("strong", {}, FIELD_NAMES[field] ?? field), ": ", described(field, value)),
        h("button", { type: "button", class: "button small", "aria-label": `Accept ${FIELD_NAMES[field] ?? field}`, onclick: () => accept(field) }, "Accept"),
      ),
    ),
  );
}

async function accept(field) {
  try {
    const profile = await api(`/api/documents/${suggestions.document_id}/accept/`, { method: "POST", json: { fields: [field] } });
    fill(profile);
    saved.textContent = `${FIELD_NAMES[field] ?? field} taken from your resume.`;
    suggestionRows.querySelector("button")?.focus();
  } catch (failure) {
    error.textContent = failure.message;
  }
}

function fill(profile) {
  const fields = form.elements;
  for (const name of ["headline", "summary", "location", "experience_level", "availability", "currency"]) {
    fields[name].value = profile[name] ?? "";
  }
  for (const name of ["experience_years", "desired_salary_min", "desired_salary_max"]) {
    fields[name].value = profile[name] ?? "";
  }
  fields.remote.checked = Boolean(profile.remote);
  for (const radio of form.querySelectorAll('input[name="visibility"]')) radio.checked = radio.value === profile.visibility;
  skills = (profile.skills ?? []).map((skill) => ({ ...skill }));
  suggestions = profile.resume_suggestions;
  showSkills();
  showSuggestions();
}

async function load() {
  try {
    fill(await api("/api/profile/"));
    form.dataset.loaded = "true";
  } catch (failure) {
    error.textContent = `Could not load your profile: ${failure.message}`;
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const fields = form.elements;
  const number = (element) => (element.value.trim() === "" ? null : Number(element.value));
  const body = {
    headline: fields.headline.value.trim(),
    summary: fields.summary.value,
    location: fields.location.value.trim(),
    experience_level: fields.experience_level.value,
    availability: fields.availability.value,
    currency: fields.currency.value.trim() || "USD",
    desired_salary_min: number(fields.desired_salary_min),
    desired_salary_max: number(fields.desired_salary_max),
    remote: fields.remote.checked,
    skills,
  };
  const years = number(fields.experience_years);
  if (years !== null) body.experience_years = years;
  const visibility = form.querySelector('input[name="visibility"]:checked');
  if (visibility) body.visibility = visibility.value;
  try {
    fill(await api("/api/profile/", { method: "PATCH", json: body }));
    saved.textContent = "Profile saved.";
  } catch (failure) {
    error.textContent = failure.message;
  }
});

document.getElementById("pf-add-skill").addEventListener("click", () => {
  addSkill(newSkill.value);
  newSkill.value = "";
  newSkill.focus();
});
newSkill.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    addSkill(newSkill.value);
    newSkill.value = "";
  }
});
// The "Resume processed" toast sends the seeker here: show the new suggestions without a reload.
realtime.on("notification", (event) => {
  if (event.notification_type === "resume_completed") load();
});
load();
