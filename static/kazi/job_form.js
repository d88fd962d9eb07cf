// Post or edit a job: the form writes /api/jobs/ (POST, PATCH); skills the title and description mention are offered
// as one-click additions (POST /api/jobs/suggest-skills/ while typing; the saved job's `skills_suggested` after).
import { ApiError, api } from "./api.js";
import "./app.js";
import { h } from "./dom.js";
import { statusWord } from "./format.js";

const form = document.getElementById("job-form");
const suggestions = document.getElementById("jf-suggestions");
const suggestionsEmpty = document.getElementById("jf-suggestions-empty");
const error = document.getElementById("jf-error");
const saved = document.getElementById("jf-saved");
let jobId = form?.dataset.jobId || "";

const names = (value) =>
  String(value)
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);

function payload() {
  const fields = form.elements;
  const number = (element) => (element.value.trim() === "" ? null : Number(element.value));
  return {
    title: fields.title.value.trim(),
    description: fields.description.value,
    location: fields.location.value.trim(),
    remote: fields.remote.checked,
    employment_type: fields.employment_type.value,
    experience_level: fields.experience_level.value,
    salary_min: number(fields.salary_min),
    salary_max: number(fields.salary_max),
    currency: fields.currency.value.trim() || "USD",
    category: fields.category.value.trim(),
    skills_required: names(fields.skills_required.value),
    skills_preferred: names(fields.skills_preferred.value),
  };
}

function showErrors(failure) {
  for (const element of form.querySelectorAll(".field-error")) element.textContent = "";
  const body = failure instanceof ApiError ? failure.body : null;
  let placed = false;
  if (body && typeof body === "object") {
    for (const [field, messages] of Object.entries(body)) {
      const slot = document.getElementById(`jf-${field}-error`);
      if (slot) {
        slot.textContent = [].concat(messages).join(" ");
        placed = true;
      }
    }
  }
  if (!placed) error.textContent = failure.message;
  form.querySelector('.field-error:not(:empty)')?.previousElementSibling?.focus?.();
}

function offer(skills) {
  const listed = new Set(
    [...names(form.elements.skills_required.value), ...names(form.elements.skills_preferred.value)].map((s) => s.toLowerCase()),
  );
  const fresh = skills.filter((skill) => !listed.has(skill.toLowerCase()));
  suggestions.replaceChildren(
    ...fresh.map((skill) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "chip chip-add",
            "aria-label": `Add ${skill} to the required skills`,
            onclick: () => {
              const field = form.elements.skills_required;
              field.value = [...names(field.value), skill].join(", ");
              offer(skills);
              form.elements.skills_required.focus();
            },
          },
          `+ ${skill}`,
        ),
      ),
    ),
  );
  suggestionsEmpty.hidden = fresh.length > 0;
  suggestionsEmpty.textContent = skills.length
    ? "Every skill the text mentions is listed."
    : "None found in the title and description yet.";
}

let timer = null;
let lastAsked = "";
function suggestSoon() {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const { title, description, skills_required, skills_preferred } = payload();
    const key = JSON.stringify([title, description]);
    if (key === lastAsked || !(title || description)) return;
    lastAsked = key;
    try {
      const data = await api("/api/jobs/suggest-skills/", {
        method: "POST",
        json: { title, description, listed: [...skills_required, ...skills_preferred] },
      });
      offer(data.skills);
    } catch {
      // Suggestions are a help, not a step: the form works without them.
    }
  }, 400);
}

async function save(status) {
  error.textContent = "";
  saved.textContent = "";
  const body = payload();
  if (!body.title) {
    document.getElementById("jf-title-error").textContent = "Give the job a title.";
    form.elements.title.focus();
    return;
  }
  if (status) body.status = status;
  const buttons = form.querySelectorAll("button");
  buttons.forEach((button) => (button.disabled = true));
  try {
    const job = jobId
      ? await api(`/api/jobs/${jobId}/`, { method: "PATCH", json: body })
      : await api("/api/jobs/", { method: "POST", json: body });
    if (!jobId) {
      location.assign(`/recruiter/jobs/${job.id}/edit/?saved=${job.status}`);
      return;
    }
    jobId = String(job.id);
    saved.textContent = `Saved. The job is ${statusWord(job.status).toLowerCase()}.`;
    offer(job.skills_suggested ?? []);
    if (status) location.assign(`/recruiter/jobs/${job.id}/edit/?saved=${job.status}`);
  } catch (failure) {
    showErrors(failure);
  } finally {
    buttons.forEach((button) => (button.disabled = false));
  }
}

if (form) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save(event.submitter?.dataset.status || "");
  });
  document.getElementById("jf-close")?.addEventListener("click", () => save("closed"));
  document.getElementById("jf-open")?.addEventListener("click", () => save("open"));
  for (const name of ["title", "description"]) form.elements[name].addEventListener("input", suggestSoon);
  for (const name of ["skills_required", "skills_preferred"]) form.elements[name].addEventListener("change", () => {
    lastAsked = "";
    suggestSoon();
  });
  const done = new URLSearchParams(location.search).get("saved");
  if (done) saved.textContent = done === "open" ? "Published: job seekers can see it now." : `Saved. The job is ${statusWord(done).toLowerCase()}.`;
  suggestSoon();
}
