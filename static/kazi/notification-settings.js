// Notification settings: each kind in Kazi (in-app) and by email, and the email master switch, over
// GET/PUT /api/notifications/preferences/.
import { api } from "./api.js";
import { h } from "./dom.js";

const PATH = "/api/notifications/preferences/";
const form = document.getElementById("prefs-form");
const rows = document.getElementById("prefs-rows");
const emailEnabled = document.getElementById("email-enabled");
const status = document.getElementById("prefs-status");
const error = document.getElementById("prefs-error");

let current = null;

function checkbox(kind, channel, checked, label) {
  return h("input", { type: "checkbox", checked, dataset: { kind, channel }, "aria-label": label });
}

function render(prefs) {
  current = prefs;
  emailEnabled.checked = prefs.email_enabled;
  rows.replaceChildren(
    ...Object.entries(prefs.types).map(([kind, channels]) =>
      h(
        "tr",
        { dataset: { kind } },
        h("th", { scope: "row" }, channels.label, channels.urgent ? h("span", { class: "muted" }, " · at once") : null),
        h("td", {}, channels.mail_only ? null : checkbox(kind, "in_app", channels.in_app, `${channels.label} in Kazi`)),
        h("td", {}, checkbox(kind, "email", channels.email, `${channels.label} by email`)),
      ),
    ),
  );
  syncEmailColumn();
}

function syncEmailColumn() {
  for (const box of rows.querySelectorAll('input[data-channel="email"]')) box.disabled = !emailEnabled.checked;
}

async function save(event) {
  event?.preventDefault();
  error.textContent = "";
  status.textContent = "Saving…";
  const types = {};
  for (const box of rows.querySelectorAll("input[data-kind]")) {
    (types[box.dataset.kind] ??= {})[box.dataset.channel] = box.checked;
  }
  try {
    // muted_types is sent as it was: `types` says every kind's in-app setting, applied after it.
    render(await api(PATH, { method: "PUT", json: { muted_types: current.muted_types, email_enabled: emailEnabled.checked, types } }));
    status.textContent = "Saved.";
  } catch (failure) {
    status.textContent = "";
    error.textContent = failure.message;
  }
}

emailEnabled.addEventListener("change", () => {
  syncEmailColumn();
  save();
});
form.addEventListener("submit", save);

api(PATH).then(render, (failure) => {
  error.textContent = failure.message;
});
