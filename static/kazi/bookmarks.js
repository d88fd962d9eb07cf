// Bookmarked jobs: remove one without leaving the page.
import { api } from "./api.js";
import "./app.js";
import { plural } from "./format.js";

const status = document.getElementById("bookmarks-status");
const list = document.getElementById("bookmark-list");

for (const button of document.querySelectorAll("button.unbookmark")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await api(`/api/jobs/${button.dataset.jobId}/bookmark/`, { method: "DELETE" });
      const title = button.closest("li").querySelector("h2").textContent;
      button.closest("li").remove();
      const left = list.children.length;
      status.textContent = `Removed ${title}. ${left ? plural(left, "bookmark") : "No bookmarks left."}`;
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  });
}
