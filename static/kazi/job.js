// Job page: apply, bookmark, and (for job seekers) why this job fits.
import { api } from "./api.js";
import { realtime } from "./app.js";
import { h, label } from "./dom.js";
import { explanationView } from "./explain.js";
import { trackJobView } from "./track.js";

const article = document.getElementById("job");
const jobId = article.dataset.jobId;
const bookmark = document.getElementById("bookmark");
const applyForm = document.getElementById("apply-form");
const applyError = document.getElementById("apply-error");
const applicationStatus = document.getElementById("application-status");
const explanation = document.getElementById("explanation");

if (article.dataset.trackView === "true") trackJobView(jobId);

function showApplication(status) {
  applicationStatus.classList.remove("muted");
  applicationStatus.replaceChildren("You applied: ", h("strong", { class: `status status-${status}` }, label(status)));
}

if (bookmark) {
  bookmark.addEventListener("click", async () => {
    const on = bookmark.getAttribute("aria-pressed") === "true";
    bookmark.disabled = true;
    try {
      await api(`/api/jobs/${jobId}/bookmark/`, { method: on ? "DELETE" : "POST" });
      bookmark.setAttribute("aria-pressed", String(!on));
      bookmark.textContent = on ? "Bookmark" : "Bookmarked";
    } catch (error) {
      applyError.textContent = error.message;
    } finally {
      bookmark.disabled = false;
    }
  });
}

if (applyForm) {
  applyForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    applyError.textContent = "";
    const button = applyForm.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const application = await api(`/api/jobs/${jobId}/apply/`, {
        method: "POST",
        json: { cover_letter: applyForm.elements.cover_letter.value, resume: applyForm.elements.resume.value || null },
      });
      applyForm.hidden = true;
      showApplication(application.status);
    } catch (error) {
      applyError.textContent = error.message;
      button.disabled = false;
    }
  });
  // The seeker's resumes, newest first and chosen by default: the recruiter's card shows the one sent.
  api("/api/documents/?document_type=resume&page_size=20")
    .then((data) => {
      const select = applyForm.elements.resume;
      for (const resume of data.results) select.append(h("option", { value: resume.id }, resume.original_name));
      if (data.results.length) {
        select.value = data.results[0].id;
        document.getElementById("resume-field").hidden = false;
      }
    })
    .catch(() => {}); // no list, no choice: the application goes without a resume
  realtime.on("application_status_changed", (event) => {
    if (String(event.job_id) === String(jobId)) showApplication(event.new_status);
  });
}

if (explanation) {
  api(`/api/ai/recommendations/${jobId}/explanation/`)
    .then((data) => {
      const names = [...document.querySelectorAll("#job-skills .chip")].map((chip) => chip.textContent);
      explanation.replaceChildren(explanationView(data, names));
    })
    .catch((error) => explanation.replaceChildren(h("p", { class: "muted" }, `No explanation: ${error.message}`)));
}
