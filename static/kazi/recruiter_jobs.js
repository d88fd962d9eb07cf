// A recruiter's jobs with how many applications each has, by status.
import { api } from "./api.js";
import { realtime } from "./app.js";
import { h, label, timeElement } from "./dom.js";

const list = document.getElementById("rjobs-list");
const status = document.getElementById("rjobs-status");
const companyId = document.getElementById("rjobs-list").dataset.companyId;

async function all(path) {
  const rows = [];
  let url = path;
  while (url && rows.length < 500) {
    const data = await api(url);
    rows.push(...data.results);
    url = data.next ? new URL(data.next).pathname + new URL(data.next).search : null;
  }
  return rows;
}

async function load() {
  try {
    const filter = companyId ? `company=${companyId}&` : "";
    const [jobs, applications] = await Promise.all([
      all(`/api/jobs/?${filter}page_size=100`),
      all("/api/applications/?page_size=100"),
    ]);
    const byJob = new Map();
    for (const application of applications) byJob.set(application.job, [...(byJob.get(application.job) ?? []), application]);
    list.replaceChildren(
      ...jobs.map((job) => {
        const mine = byJob.get(job.id) ?? [];
        const open = mine.filter((a) => !["rejected", "withdrawn", "accepted"].includes(a.status)).length;
        return h(
          "li",
          { class: "job-card card", dataset: { jobId: String(job.id) } },
          h("h2", {}, h("a", { href: `/recruiter/jobs/${job.id}/` }, job.title)),
          h(
            "p",
            { class: "job-meta" },
            h("span", { class: `status status-${job.status}` }, label(job.status)),
            h("span", {}, `${mine.length} applications`),
            h("span", {}, `${open} in progress`),
            h("span", {}, "Posted ", timeElement(job.created_at)),
          ),
        );
      }),
    );
    status.textContent = jobs.length ? `${jobs.length} jobs` : "Your company has no jobs yet.";
  } catch (error) {
    status.textContent = `Could not load jobs: ${error.message}`;
  }
}

realtime.on("application_received", load);
load();
