// A recruiter's jobs: how many applications each has, and the ways to act on it (edit, open or close, export).
import { api } from "./api.js";
import { realtime } from "./app.js";
import { h, timeElement } from "./dom.js";
import { place, plural, postedAt, statusWord } from "./format.js";

const list = document.getElementById("rjobs-list");
const status = document.getElementById("rjobs-status");
const companyId = list.dataset.companyId;

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

async function setStatus(job, to) {
  try {
    await api(`/api/jobs/${job.id}/`, { method: "PATCH", json: { status: to } });
    status.textContent = `“${job.title}” is ${to === "open" ? "open" : "closed"} now.`;
    load();
  } catch (error) {
    status.textContent = error.message;
  }
}

function jobCard(job, mine) {
  const open = mine.filter((a) => !["rejected", "withdrawn", "accepted"].includes(a.status)).length;
  const toggle =
    job.status === "open"
      ? h("button", { type: "button", class: "button small danger", onclick: () => setStatus(job, "closed") }, "Close", h("span", { class: "visually-hidden" }, ` ${job.title}`))
      : h("button", { type: "button", class: "button small", onclick: () => setStatus(job, "open") }, job.status === "draft" ? "Publish" : "Reopen", h("span", { class: "visually-hidden" }, ` ${job.title}`));
  return h(
    "li",
    { class: "job-card card", dataset: { jobId: String(job.id), status: job.status } },
    h("h2", {}, h("a", { href: `/recruiter/jobs/${job.id}/` }, job.title)),
    h(
      "p",
      { class: "job-meta" },
      h("span", { class: `status status-${job.status}` }, statusWord(job.status)),
      h("span", {}, place(job.location, job.remote)),
      h("span", { class: "app-count" }, plural(mine.length, "application")),
      h("span", {}, `${open} in progress`),
      h("span", {}, "Posted ", timeElement(postedAt(job))),
    ),
    h(
      "div",
      { class: "actions" },
      h("a", { class: "button small", href: `/recruiter/jobs/${job.id}/edit/` }, "Edit", h("span", { class: "visually-hidden" }, ` ${job.title}`)),
      toggle,
      h("a", { class: "button small", href: `/api/applications/export/?job=${job.id}`, download: "" }, "Export CSV", h("span", { class: "visually-hidden" }, ` of ${job.title}`)),
    ),
  );
}

async function load() {
  try {
    // Every status of the company's own jobs: drafts and closed ones are the recruiter's to see.
    const filter = companyId ? `company=${companyId}&` : "";
    const statuses = ["open", "draft", "closed"];
    const [jobLists, applications] = await Promise.all([
      Promise.all(statuses.map((state) => all(`/api/jobs/?${filter}status=${state}&page_size=100`))),
      all("/api/applications/?page_size=100"),
    ]);
    const jobs = jobLists.flat().sort((a, b) => String(postedAt(b)).localeCompare(String(postedAt(a))));
    const byJob = new Map();
    for (const application of applications) byJob.set(application.job, [...(byJob.get(application.job) ?? []), application]);
    list.replaceChildren(...jobs.map((job) => jobCard(job, byJob.get(job.id) ?? [])));
    status.textContent = jobs.length ? plural(jobs.length, "job") : "Your company has no jobs yet: post one.";
  } catch (error) {
    status.textContent = `Could not load jobs: ${error.message}`;
  }
}

realtime.on("application_received", load);
load();
