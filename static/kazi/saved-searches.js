// Saved searches on the jobs page: save the current search and filters for job alerts, pause, resume, delete.
import { api } from "./api.js";
import { h } from "./dom.js";

const URL = "/api/saved-searches/";
const filtersForm = document.getElementById("job-filters");
const saveForm = document.getElementById("save-search");
const nameInput = document.getElementById("saved-search-name");
const status = document.getElementById("saved-search-status");
const list = document.getElementById("saved-search-list");

/** The jobs form as the API takes a saved search: `search` is the query, every other field a filter. */
function currentSearch() {
  let query = "";
  const filters = {};
  for (const [name, raw] of new FormData(filtersForm)) {
    const value = String(raw).trim();
    if (!value) continue;
    if (name === "search") query = value;
    else filters[name] = value;
  }
  return { query, filters };
}

function summary(search) {
  const parts = search.query ? [`“${search.query}”`] : [];
  for (const [name, value] of Object.entries(search.filters)) parts.push(`${name.replaceAll("_", " ")}: ${value}`);
  return parts.length ? parts.join(" · ") : "Every new job";
}

function item(search) {
  const toggle = h(
    "button",
    {
      type: "button",
      class: "button small",
      "aria-label": `${search.active ? "Pause" : "Resume"} alerts for ${search.name}`,
      onclick: () => change(search, () => api(`${URL}${search.id}/`, { method: "PATCH", json: { active: !search.active } })),
    },
    search.active ? "Pause" : "Resume",
  );
  const remove = h(
    "button",
    {
      type: "button",
      class: "button small danger",
      "aria-label": `Delete saved search ${search.name}`,
      onclick: () => change(search, () => api(`${URL}${search.id}/`, { method: "DELETE" })),
    },
    "Delete",
  );
  return h(
    "li",
    { class: "saved-search", dataset: { savedSearchId: String(search.id), active: String(search.active) } },
    h("strong", {}, search.name),
    " ",
    h("span", { class: "muted small" }, summary(search)),
    search.active ? null : h("span", { class: "chip" }, "Paused"),
    " ",
    toggle,
    " ",
    remove,
  );
}

async function change(search, call) {
  try {
    await call();
    await refresh();
  } catch (error) {
    status.textContent = `Could not change “${search.name}”: ${error.message}`;
  }
}

async function refresh() {
  const data = await api(URL);
  list.replaceChildren(...data.results.map(item));
  if (!data.results.length) status.textContent = "No saved searches yet: search, then save it to be alerted.";
}

saveForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = nameInput.value.trim();
  if (!name) return;
  try {
    await api(URL, { method: "POST", json: { name, ...currentSearch() } });
    nameInput.value = "";
    status.textContent = `Saved “${name}”: you will be alerted when a matching job opens.`;
    await refresh();
  } catch (error) {
    status.textContent = `Could not save the search: ${error.message}`;
  }
});

refresh().catch((error) => {
  status.textContent = `Could not load your saved searches: ${error.message}`;
});
