// Job list: filters and search over GET /api/jobs/, kept in the address bar.
import { api } from "./api.js";
import { h, timeElement } from "./dom.js";
import { place, plural, postedAt, salary, statusWord as label } from "./format.js";
import { trackJobSearch } from "./track.js";
import { realtime } from "./app.js";

const form = document.getElementById("job-filters");
const list = document.getElementById("job-list");
const count = document.getElementById("job-count");
const prev = document.getElementById("jobs-prev");
const next = document.getElementById("jobs-next");
const newJobs = document.getElementById("new-jobs");
let page = 1;
let unseen = 0; // jobs posted since the list was loaded (job_posted broadcasts), shown as "N new jobs"

function query() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (String(value).trim()) params.set(name, String(value).trim());
  return params;
}

/** The search the list shows, as a `job_search` records it: the search box and the other filled-in fields. */
function searchOf(params) {
  const filters = {};
  for (const [name, value] of params) if (name !== "search" && name !== "page") filters[name] = value;
  return { query: params.get("search") ?? "", filters };
}

function fillForm(params) {
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") element.checked = params.get(element.name) === "true";
    else element.value = params.get(element.name) ?? "";
  }
  page = Number(params.get("page") ?? 1) || 1;
}

function jobCard(job) {
  return h(
    "li",
    { class: "job-card card", dataset: { jobId: String(job.id) } },
    h("h2", {}, h("a", { href: `/jobs/${job.id}/` }, job.title)),
    h(
      "p",
      { class: "job-meta" },
      h("span", {}, job.company_name),
      h("span", {}, place(job.location, job.remote)),
      h("span", {}, label(job.employment_type)),
      h("span", {}, label(job.experience_level)),
      salary(job) ? h("span", {}, salary(job)) : null,
    ),
    job.skills_required?.length
      ? h("ul", { class: "chips", "aria-label": "Skills" }, job.skills_required.slice(0, 8).map((s) => h("li", { class: "chip" }, s)))
      : null,
    h("p", { class: "muted small" }, "Posted ", timeElement(postedAt(job))),
  );
}

async function load() {
  const params = query();
  if (page > 1) params.set("page", String(page));
  history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
  count.textContent = "Loading…";
  try {
    const data = await api(`/api/jobs/?${params}`);
    list.replaceChildren(...data.results.map(jobCard));
    showNewJobs(0);
    count.textContent = plural(data.count, "job");
    prev.disabled = !data.previous;
    next.disabled = !data.next;
    trackJobSearch({ ...searchOf(params), results: data.count });
  } catch (error) {
    count.textContent = `Could not load jobs: ${error.message}`;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  page = 1;
  load();
});
form.addEventListener("reset", () => {
  setTimeout(() => {
    page = 1;
    load();
  });
});
prev.addEventListener("click", () => {
  page = Math.max(1, page - 1);
  load();
});
next.addEventListener("click", () => {
  page += 1;
  load();
});

/** New jobs do not ring the bell (they concern no one in particular): the list says how many arrived since it
 * loaded, and one click shows them. */
function showNewJobs(total) {
  unseen = total;
  newJobs.hidden = unseen === 0;
  newJobs.textContent = unseen === 1 ? "1 new job: show it" : `${unseen} new jobs: show them`;
}

realtime.on("job_posted", () => showNewJobs(unseen + 1));
newJobs.addEventListener("click", () => {
  page = 1;
  load();
});

fillForm(new URLSearchParams(location.search));
load();
