// Toasts: short-lived notices in a polite live region; each dismisses itself after 5 seconds.
import { h } from "./dom.js";

export const TOAST_MS = 5_000;

export function toast({ title, message = "", href = null, iconNode = null, kind = "info", ms = TOAST_MS }) {
  const region = document.getElementById("toasts");
  if (!region) return null;
  const text = h("div", { class: "toast-text" }, h("strong", {}, title), message ? h("span", {}, message) : null);
  const body = href ? h("a", { href, class: "toast-link" }, text) : text;
  const close = h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss" }, "×");
  const element = h("div", { class: `toast toast-${kind}` }, iconNode, body, close);
  const remove = () => {
    element.classList.add("leaving");
    setTimeout(() => element.remove(), 200);
  };
  close.addEventListener("click", remove);
  region.append(element);
  setTimeout(remove, ms);
  return element;
}
