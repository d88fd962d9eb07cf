// Dashboards: GET /api/analytics/dashboard/ drawn with Chart.js (static/vendor/chartjs, loaded before this module
// as a classic script). An `analytics_updated` frame (at most one per company every 2 seconds, server-side) makes
// an open dashboard fetch its figures again and update its charts in place.
import { api } from "./api.js";
import { realtime } from "./app.js";
import { h, relativeTime } from "./dom.js";
import { percent, statusWord } from "./format.js";

const Chart = globalThis.Chart;
const root = document.getElementById("dashboard");
const role = root.dataset.role;
const updated = document.getElementById("dash-updated");
const stats = document.getElementById("dash-stats");
const tableSection = document.getElementById("dash-table-section");
const table = document.getElementById("dash-table");
const STAGES = ["pending", "reviewing", "shortlisted", "interview", "offered", "accepted", "rejected", "withdrawn"];
const BLUE = "#0b5cad";
const GREEN = "#067647";
const charts = new Map();

Chart.defaults.font.family = '"Liberation Sans", "DejaVu Sans", Arial, sans-serif';
Chart.defaults.color = "#545d68";
Chart.defaults.animation = false; // live updates redraw at once; motion adds nothing to a figure

/** Draw or update one chart; the canvas keeps its data in data-points so a test (or a screen reader) can read it. */
function draw(id, type, labels, datasets, options = {}) {
  const canvas = document.getElementById(id);
  if (!canvas) return;
  canvas.dataset.points = JSON.stringify(datasets.map((set) => set.data));
  canvas.setAttribute("aria-label", `${canvas.getAttribute("aria-label").split(":")[0]}: ${labels.map((label, i) => `${label} ${datasets[0].data[i]}`).join(", ")}`);
  const existing = charts.get(id);
  if (existing) {
    existing.data.labels = labels;
    existing.data.datasets.forEach((set, i) => (set.data = datasets[i].data));
    existing.update();
    return;
  }
  charts.set(
    id,
    new Chart(canvas, {
      type,
      data: { labels, datasets },
      options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { display: datasets.length > 1 } }, ...options },
    }),
  );
}

const shortDay = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

function stat(label, value) {
  return h("div", { class: "stat" }, h("strong", {}, String(value)), h("span", { class: "muted small" }, label));
}

function hours(value) {
  return value == null ? "—" : value < 1 ? `${Math.round(value * 60)} min` : `${Math.round(value)} h`;
}

function perDayChart(perDay) {
  draw("chart-per-day", "line", perDay.map((row) => shortDay(row.date)), [
    { label: "Applications", data: perDay.map((row) => row.applications), borderColor: BLUE, backgroundColor: BLUE, tension: 0.2 },
  ], { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
}

function funnelChart(byStatus) {
  draw("chart-funnel", "bar", STAGES.map(statusWord), [
    { label: "Applications", data: STAGES.map((stage) => byStatus[stage] ?? 0), backgroundColor: BLUE },
  ], { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } });
}

function showSeeker(data) {
  const apps = data.applications;
  stats.replaceChildren(
    stat("Applications", apps.total),
    stat("Answered", apps.responded),
    stat("Answer rate", percent(apps.response_rate * 100)),
    stat("Average wait for an answer", hours(apps.average_response_hours)),
  );
  perDayChart(apps.per_day);
  funnelChart(apps.by_status);
}

function showRecruiter(data) {
  const total = Object.values(data.pipeline).reduce((a, b) => a + b, 0);
  const open = data.jobs.filter((job) => job.status === "open").length;
  stats.replaceChildren(
    stat("Applications", total),
    stat("Open jobs", open),
    stat("Jobs", data.jobs_total),
    stat("Average time to first response", hours(data.average_response_hours)),
  );
  document.getElementById("dash-stats").dataset.total = String(total);
  perDayChart(data.applications_per_day);
  funnelChart(data.pipeline);
  const jobs = data.jobs.slice(0, 12);
  const titles = jobs.map((job) => (job.title.length > 24 ? `${job.title.slice(0, 23)}…` : job.title));
  draw("chart-jobs", "bar", titles, [
    { label: "Views", data: jobs.map((job) => job.views_now ?? job.views), backgroundColor: BLUE, yAxisID: "y" },
    { label: "Conversion %", data: jobs.map((job) => Math.round(job.conversion_rate * 100)), backgroundColor: GREEN, yAxisID: "y1" },
  ], { scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } } } });
  draw("chart-response", "bar", titles, [
    { label: "Hours to first response", data: jobs.map((job) => job.average_response_hours ?? 0), backgroundColor: BLUE },
  ], { scales: { y: { beginAtZero: true } } });
  tableSection.hidden = data.jobs.length === 0;
  table.replaceChildren(
    h("thead", {}, h("tr", {}, ["Job", "Status", "Views", "Applications", "Conversion", "First response"].map((title, i) => h("th", { scope: "col", class: i > 1 ? "num" : null }, title)))),
    h(
      "tbody",
      {},
      data.jobs.map((job) =>
        h(
          "tr",
          {},
          h("td", {}, h("a", { href: `/recruiter/jobs/${job.id}/` }, job.title)),
          h("td", {}, statusWord(job.status)),
          h("td", { class: "num" }, String(job.views_now ?? job.views)),
          h("td", { class: "num" }, String(job.applications_received)),
          // Nobody viewed it (applications arrived by link or API): a rate of 0% would read as a failing job.
          h("td", { class: "num" }, (job.views_now ?? job.views) ? percent(job.conversion_rate * 100) : "—"),
          h("td", { class: "num" }, hours(job.average_response_hours)),
        ),
      ),
    ),
  );
}

const FLAG_WORDS = { views: "few views for its category", conversion: "low conversion for its category" };

async function showInsights() {
  const insights = document.getElementById("insights-table");
  if (!insights) return;
  const rows = await api("/api/analytics/insights/");
  insights.replaceChildren(
    h("thead", {}, h("tr", {}, ["Open job", "Last 7 days", "Next 7 days (forecast)", "Views a day", "Watch"].map((title, i) => h("th", { scope: "col", class: i && i < 4 ? "num" : null }, title)))),
    h(
      "tbody",
      {},
      rows.length
        ? rows.map((row) =>
            h(
              "tr",
              { dataset: { jobId: String(row.job_id) } },
              h("td", {}, h("a", { href: `/recruiter/jobs/${row.job_id}/` }, row.title)),
              h("td", { class: "num" }, String(row.applications_last_7_days)),
              h("td", { class: "num forecast" }, `≈ ${Math.round(row.forecast_next_7_days)}`),
              h("td", { class: "num" }, String(Math.round(row.views_per_day * 10) / 10)),
              h("td", { class: row.below_category.length ? "flag" : "muted" }, row.below_category.map((flag) => FLAG_WORDS[flag] ?? flag).join("; ") || "—"),
            ),
          )
        : [h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No open jobs."))],
    ),
  );
}

function showAdmin(data) {
  stats.replaceChildren(
    stat("Users", data.users.total),
    stat("Jobs", data.jobs.total),
    stat("Applications", data.applications.total),
    stat("Live connections", data.active_sockets?.connections ?? "—"),
  );
  perDayChart(data.applications.per_day);
  funnelChart(data.applications.by_status);
  draw("chart-events", "bar", data.events_per_hour.map((row) => new Date(row.hour).toISOString().slice(11, 16)), [
    { label: "Events", data: data.events_per_hour.map((row) => row.events), backgroundColor: BLUE },
  ], { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
}

let loading = null;
async function load() {
  if (loading) return loading;
  loading = (async () => {
    try {
      const data = await api("/api/analytics/dashboard/");
      if (role === "admin") showAdmin(data);
      else if (role === "recruiter") {
        showRecruiter(data);
        await showInsights();
      }
      else showSeeker(data);
      const rolled = data.as_of ? ` Views rolled up ${relativeTime(data.as_of)}.` : "";
      updated.textContent = `Updated ${new Date().toLocaleTimeString("en-GB")}.${rolled}`;
      root.dataset.loaded = String(Number(root.dataset.loaded || 0) + 1);
    } catch (error) {
      updated.textContent = `Could not load the figures: ${error.message}`;
    } finally {
      loading = null;
    }
  })();
  return loading;
}

realtime.on("analytics_updated", () => load());
realtime.on("reload", () => load());
// A seeker hears of their own applications directly; their dashboard follows those.
if (role === "job_seeker") realtime.on("application_status_changed", () => load());
load();
