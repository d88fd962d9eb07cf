// The account pages' forms (forgot password, new password, email confirmation, invitation, the account
// page): each sends its fields as JSON to the API path in `data-api` (POST, or `data-method`), shows the
// API's errors next to their fields, and on success shows its `data-done` section (hiding the form unless
// `data-keep`) or goes to `data-redirect`. Used signed out too, so it needs nothing from app.js.
import { api, ApiError } from "./api.js";

function showErrors(form, errors) {
  const general = form.querySelector('[data-error-for="detail"]');
  for (const slot of form.querySelectorAll("[data-error-for]")) slot.textContent = "";
  for (const [field, messages] of Object.entries(errors)) {
    const text = Array.isArray(messages) ? messages.join(" ") : String(messages);
    const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ?? general;
    slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
  }
  form.querySelector("[aria-invalid]")?.removeAttribute("aria-invalid");
  const first = Object.keys(errors).map((name) => form.elements.namedItem(name)).find(Boolean);
  if (first) {
    first.setAttribute("aria-invalid", "true");
    first.focus();
  }
}

function body(form) {
  const json = JSON.parse(form.dataset.extra || "{}");
  for (const [name, value] of new FormData(form)) {
    if (!name.startsWith("_")) json[name] = String(value);
  }
  return json;
}

function mismatch(form) {
  for (const repeat of form.querySelectorAll("[data-same-as]")) {
    const original = form.elements.namedItem(repeat.dataset.sameAs);
    if (original && original.value !== repeat.value) return { [repeat.name]: ["The two passwords differ."] };
  }
  return null;
}

async function submit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const differ = mismatch(form);
  if (differ) return showErrors(form, differ);
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    await api(form.dataset.api, { method: form.dataset.method || "POST", json: body(form) });
    if (form.dataset.redirect) {
      location.assign(form.dataset.redirect);
      return;
    }
    if (form.dataset.keep === undefined) form.hidden = true;
    else form.reset();
    const done = document.getElementById(form.dataset.done);
    done.hidden = false;
    done.focus();
  } catch (error) {
    const errors = error instanceof ApiError && error.body && typeof error.body === "object"
      ? error.body
      : { detail: ["Kazi could not be reached; try again."] };
    showErrors(form, error.status === 429 ? { detail: [`${ApiError.describe(429, error.body)}`] } : errors);
  } finally {
    button.disabled = false;
  }
}

for (const form of document.querySelectorAll("form[data-api]")) form.addEventListener("submit", submit);
