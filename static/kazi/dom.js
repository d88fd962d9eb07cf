// Small DOM helpers: build elements without innerHTML, and show times and money.

/** h("a", {href: "/x", class: "c"}, "text", child) — attributes starting with "on" become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const UNITS = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function relativeTime(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

/** A <time> that says "5 minutes ago" and keeps the exact time in its title. */
export function timeElement(iso) {
  return h("time", { datetime: iso, title: new Date(iso).toLocaleString() }, relativeTime(iso));
}

/** Refresh every relative <time> once a minute. */
export function keepTimesFresh(root = document) {
  setInterval(() => {
    for (const element of root.querySelectorAll("time[datetime]")) {
      element.textContent = relativeTime(element.getAttribute("datetime"));
    }
  }, 60_000);
}

// One way to write money and statuses: format.js (kept here for the modules that import them from dom.js).
export { salary, statusWord as label } from "./format.js";

/** Server-made highlight text ("… <mark>word</mark> …") as nodes: only <mark> survives, as markup. */
export function highlighted(text) {
  const fragment = document.createDocumentFragment();
  const parts = String(text).split(/(<mark>|<\/mark>)/);
  let marking = false;
  for (const part of parts) {
    if (part === "<mark>") marking = true;
    else if (part === "</mark>") marking = false;
    else if (part) {
      // Parsed in an inert document: tags in the excerpt become plain text, never markup.
      const plain = new DOMParser().parseFromString(part, "text/html").body.textContent;
      fragment.append(marking ? h("mark", {}, plain) : plain);
    }
  }
  return fragment;
}

/** Chat content is sanitized by the server (nh3 allow-list); this only parses it into nodes. */
export function sanitizedHtml(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}
