// A seeker's applications: withdraw one; a status change from the recruiter reloads the list with its history.
import { api } from "./api.js";
import { realtime } from "./app.js";
import { statusWord } from "./format.js";

const status = document.getElementById("apps-status");

for (const button of document.querySelectorAll("button.withdraw")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const application = await api(`/api/applications/${button.dataset.applicationId}/`, {
        method: "PATCH",
        json: { status: "withdrawn" },
      });
      status.textContent = `Withdrawn from ${application.job_title}.`;
      const card = button.closest("li");
      card.dataset.status = application.status;
      card.querySelector(".status").textContent = statusWord(application.status);
      card.querySelector(".status").className = `status status-${application.status}`;
      button.remove();
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  });
}

realtime.on("application_status_changed", () => location.reload());
