// Inline SVG icons per notification type (no icon font, no network).

const PATHS = {
  job: "M9 4h6a2 2 0 0 1 2 2v1h3a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h3V6a2 2 0 0 1 2-2Zm0 3h6V6H9Z",
  inbox: "M4 4h16l1 9v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-6Zm1.8 2-.7 7H9a3 3 0 0 0 6 0h3.9l-.7-7Z",
  status: "M12 4a8 8 0 0 1 7.7 6h-2.1A6 6 0 0 0 7.8 7.8L10 10H4V4l2.4 2.4A8 8 0 0 1 12 4Zm-7.7 10h2.1a6 6 0 0 0 9.8 2.2L14 14h6v6l-2.4-2.4A8 8 0 0 1 4.3 14Z",
  star: "m12 3 2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9Z",
  chat: "M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-5 4v-4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1Z",
  clock: "M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18Zm-1 4v6l5 3 1-1.7-4-2.3V7Z",
  document: "M6 2h8l5 5v14a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1Zm7 1.5V8h4.5ZM8 12h8v2H8Zm0 4h8v2H8Z",
  warning: "M12 2 1 21h22Zm-1 7h2v6h-2Zm0 8h2v2h-2Z",
  check: "M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm-1.5 13.6 7-7-1.4-1.4-5.6 5.6-2.6-2.6-1.4 1.4Z",
  info: "M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm-1 8v8h2v-8Zm0-4v2h2V6Z",
  calendar: "M7 2h2v2h6V2h2v2h3a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1h3Zm-2 8v9h14v-9Z",
};

const BY_TYPE = {
  job_posted: ["job", "New job"],
  application_received: ["inbox", "Application"],
  application_status_changed: ["status", "Application status"],
  match_score_calculated: ["star", "Match"],
  job_alert: ["job", "Job alert"],
  new_message: ["chat", "Message"],
  interview_reminder: ["clock", "Interview reminder"],
  message: ["chat", "Message"],
  resume_completed: ["document", "Resume"],
  resume_failed: ["warning", "Resume"],
  match_found: ["star", "Matches"],
  interview_scheduled: ["calendar", "Interview"],
  interview_cancelled: ["calendar", "Interview"],
  candidate_added: ["inbox", "Candidate"],
  candidate_shared: ["inbox", "Candidate"],
  bulk_upload_completed: ["document", "Upload"],
  warning: ["warning", "Warning"],
  success: ["check", "Done"],
  info: ["info", "Information"],
};

/** [icon name, words for screen readers] of a notification (generic ones by notification_type). */
export function kindOf(item) {
  const key = item.type === "notification" ? item.notification_type : item.type;
  return BY_TYPE[key] ?? ["info", "Notification"];
}

export function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "20");
  svg.setAttribute("height", "20");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", PATHS[name] ?? PATHS.info);
  svg.append(path);
  return svg;
}
