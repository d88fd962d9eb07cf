// "Recommended for you": the seeker's best jobs, each with its factor bars and, on demand, why.
import { api } from "./api.js";
import "./app.js";
import { h } from "./dom.js";
import { percent, place, plural, salary } from "./format.js";
import { explanationView, factorBars } from "./explain.js";

const list = document.getElementById("rec-list");
const status = document.getElementById("rec-status");
const refresh = document.getElementById("refresh-recs");

function card({ job, score, factors }) {
  const detailsId = `why-${job.id}`;
  const details = h("div", { id: detailsId, class: "why", hidden: true });
  const why = h(
    "button",
    { type: "button", class: "button", "aria-expanded": "false", "aria-controls": detailsId },
    "Why this job?",
  );
  why.addEventListener("click", async () => {
    const open = why.getAttribute("aria-expanded") !== "true";
    why.setAttribute("aria-expanded", String(open));
    details.hidden = !open;
    if (open && !details.childElementCount) {
      details.append(h("p", { class: "muted" }, "Loading…"));
      try {
        details.replaceChildren(explanationView(await api(`/api/ai/recommendations/${job.id}/explanation/`), [
          ...job.skills_required,
          ...(job.skills_preferred ?? []),
        ], { bars: false }));
      } catch (error) {
        details.replaceChildren(h("p", { class: "field-error" }, error.message));
      }
    }
  });
  return h(
    "li",
    { class: "rec card", dataset: { jobId: String(job.id) } },
    h(
      "div",
      { class: "rec-head" },
      h("h2", {}, h("a", { href: `/jobs/${job.id}/` }, job.title)),
      h("span", { class: "score-pill", "aria-label": `Match ${percent(score)}` }, percent(score)),
    ),
    h("p", { class: "job-meta" }, h("span", {}, job.company_name), h("span", {}, place(job.location, job.remote)), salary(job) ? h("span", {}, salary(job)) : null),
    factorBars(factors),
    why,
    details,
  );
}

async function load(rebuild = false) {
  status.textContent = "Loading…";
  refresh.disabled = true;
  try {
    const rows = await api(`/api/ai/recommendations/?limit=10${rebuild ? "&refresh=true" : ""}`);
    list.replaceChildren(...rows.map(card));
    status.textContent = rows.length ? `${plural(rows.length, "job")} picked for you` : "No recommendations yet: add skills to your profile or upload a resume.";
  } catch (error) {
    status.textContent = `Could not load recommendations: ${error.message}`;
  } finally {
    refresh.disabled = false;
  }
}

refresh.addEventListener("click", () => load(true));
load();
