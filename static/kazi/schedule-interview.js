// Scheduling an interview from the pipeline: a dialog with the time, the duration, the panel (the company's
// recruiters) and recording. Who is busy then shows while the form changes (POST /api/interview/conflicts/,
// which books nothing); the booking itself checks again and answers 409 if someone took the slot meanwhile.
import { api } from "./api.js";
import { me } from "./app.js";
import { h } from "./dom.js";
import { clockText, slotText } from "./interview-times.js";

const CHECK_DELAY_MS = 300;
let members = null; // the company's recruiters, loaded once

function pad(n) {
  return String(n).padStart(2, "0");
}

/** A Date as a datetime-local value, in the browser's zone. */
export function localInputValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function defaultStart() {
  const start = new Date(Date.now() + 24 * 3600 * 1000);
  start.setHours(10, 0, 0, 0);
  return start;
}

function busyText(report) {
  // "Already booked at that time: the candidate (10:00–11:00), Otieno Odhiambo (10:30–11:30)."
  const each = report.busy.map((b) => `${b.name} (${clockText(b.starts_at)}–${clockText(b.ends_at)})`);
  return `Already booked at that time: ${[...new Set(each)].join(", ")}.`;
}

function panelField(companyId) {
  const list = h("ul", { class: "panel-choices" });
  const fieldset = h("fieldset", { class: "panel-field" }, h("legend", {}, "Panel"), list);
  const fill = (rows) =>
    list.replaceChildren(
      ...rows.map((member) => {
        const name = `${member.first_name} ${member.last_name}`.trim() || member.email;
        return h("li", {}, h("label", {}, h("input", { type: "checkbox", name: "interviewer_ids", value: member.id, checked: String(member.id) === me.id }), ` ${name}`));
      }),
    );
  members = members ?? api(`/api/companies/${companyId}/members/`).catch(() => [{ id: Number(me.id), first_name: me.name, last_name: "", email: "" }]);
  members.then(fill);
  return fieldset;
}

function body(form, application) {
  const data = new FormData(form);
  const when = data.get("scheduled_at");
  return {
    application_id: application.id,
    scheduled_at: when ? new Date(when).toISOString() : null,
    duration: Number(data.get("duration")),
    interviewer_ids: data.getAll("interviewer_ids").map(Number),
  };
}

/** Open the dialog for one application; `onScheduled(interview)` runs after a booking. */
export function openScheduleDialog(application, { companyId, onScheduled }) {
  const warning = h("p", { class: "conflict-warning", role: "status", "aria-live": "polite", hidden: true });
  const error = h("p", { class: "field-error", role: "alert" });
  const form = h(
    "form",
    { class: "schedule-form", method: "dialog" },
    h("h2", {}, `Schedule an interview with ${application.candidate_name}`),
    h("div", { class: "field" }, h("label", { for: "schedule-when" }, "Date and time"), h("input", { id: "schedule-when", type: "datetime-local", name: "scheduled_at", required: true, value: localInputValue(defaultStart()) })),
    h("div", { class: "field" }, h("label", { for: "schedule-duration" }, "Duration (minutes)"), h("input", { id: "schedule-duration", type: "number", name: "duration", min: 5, max: 480, step: 5, value: 60, required: true })),
    panelField(companyId),
    h("label", { class: "field checkbox" }, h("input", { type: "checkbox", name: "recording_enabled" }), " Record this interview (the candidate is told)"),
    warning,
    error,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button primary", value: "schedule" }, "Schedule"), h("button", { type: "button", class: "button", value: "cancel", onclick: () => dialog.close() }, "Cancel")),
  );
  const dialog = h("dialog", { class: "schedule-dialog", "aria-labelledby": "schedule-title" }, form);
  form.querySelector("h2").id = "schedule-title";

  let timer = null;
  let asked = 0;
  const check = async () => {
    const values = body(form, application);
    if (!values.scheduled_at || !values.duration || !values.interviewer_ids.length) return;
    const mine = ++asked;
    try {
      const report = await api("/api/interview/conflicts/", { method: "POST", json: values });
      if (mine !== asked) return; // a later change asked again
      warning.hidden = report.conflicts.length === 0;
      warning.textContent = report.conflicts.length ? busyText(report) : "";
    } catch (failure) {
      if (mine === asked) error.textContent = failure.message;
    }
  };
  const later = () => {
    clearTimeout(timer);
    error.textContent = "";
    timer = setTimeout(check, CHECK_DELAY_MS);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const values = { ...body(form, application), recording_enabled: form.elements.recording_enabled.checked, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" };
    try {
      const interview = await api("/api/interview/schedule/", { method: "POST", json: values });
      dialog.close();
      onScheduled(interview);
    } catch (failure) {
      if (failure.status === 409) {
        warning.hidden = false;
        warning.textContent = failure.message;
      } else error.textContent = failure.message;
    }
  });
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  members.then(() => check());
  return dialog;
}

export function scheduledText(interview) {
  return `Interview with ${interview.candidate.name} scheduled: ${slotText(interview)}.`;
}
