// The recordings page of an interview (/interview/{id}/recordings/): deleting one, for the job's recruiters.
import { api } from "./api.js";

const root = document.getElementById("interview-recordings");
const interviewId = root.dataset.interviewId;

root.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-delete-recording]");
  if (!button) return;
  if (!confirm("Delete this recording for good? Nobody will be able to play it again.")) return;
  button.disabled = true;
  const error = document.getElementById("recordings-error");
  try {
    await api(`/api/interview/${interviewId}/recordings/${button.dataset.deleteRecording}/`, { method: "DELETE" });
    button.closest("li").remove();
    error.hidden = true;
  } catch (failure) {
    button.disabled = false;
    error.textContent = failure.message;
    error.hidden = false;
  }
});
