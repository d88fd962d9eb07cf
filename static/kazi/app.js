// Shared by every page: the socket, the notification center, the connection indicator, the menu.
import { keepTimesFresh } from "./dom.js";
import { NotificationCenter } from "./notify-center.js";
import { RealtimeClient, STATES } from "./realtime.js";

const { userId, userType, userName, ambientTypes: ambientList = "" } = document.body.dataset;
export const me = { id: userId, type: userType, name: userName };
/** Broadcasts that are news for everyone (a new job): not in the bell, not unread (KAZI_AMBIENT_EVENT_TYPES). */
export const ambientTypes = new Set(ambientList.split(",").filter(Boolean));

export const realtime = new RealtimeClient({ userId });
export const notifications = new NotificationCenter({ realtime, me, ambientTypes });

const WORDS = {
  [STATES.CONNECTING]: "Connecting…",
  [STATES.OPEN]: "Live",
  [STATES.RECONNECTING]: "Reconnecting…",
  [STATES.CLOSED]: "Offline",
};

function showConnection() {
  const element = document.getElementById("conn-state");
  if (!element) return;
  const label = element.querySelector(".conn-label");
  realtime.on("state", ({ state }) => {
    element.dataset.state = state;
    label.textContent = WORDS[state];
    element.title = state === STATES.OPEN ? "Live updates are on" : "Live updates are paused; they resume by themselves";
  });
}

function bindMenu() {
  const toggle = document.querySelector(".nav-toggle");
  const links = document.getElementById("nav-links");
  if (!toggle || !links) return;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    links.classList.toggle("open", open);
  });
}

realtime.on("logged_out", () => location.assign(`/login/?next=${encodeURIComponent(location.pathname)}`));
showConnection();
bindMenu();
keepTimesFresh();
// Module scripts all run before DOMContentLoaded: starting then lets every page module add its
// listeners before the first frame can arrive.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => realtime.start());
else realtime.start();
