// Calls from chat, on every page: `call_incoming` rings with a toast that has Accept and Decline.
// Accept opens the call's room (which joins by itself); Decline, or no answer before `ring_until`,
// declines it, which leaves "missed call" in the conversation (docs/websocket-protocol.md).
import { api } from "./api.js";
import { notifications, realtime } from "./app.js";
import { h } from "./dom.js";

const ringing = new Map(); // interview id -> its toast

// The toast with its buttons is the notice: the notification center neither toasts nor counts it.
notifications.quietWhen((item) => item.type === "call_incoming");

function stopRinging(interviewId) {
  const element = ringing.get(interviewId);
  ringing.delete(interviewId);
  if (!element) return;
  clearTimeout(element.ringTimer);
  element.remove();
}

async function decline(interviewId) {
  stopRinging(interviewId);
  try {
    await api(`/api/interview/${interviewId}/decline/`, { method: "POST" });
  } catch (error) {
    console.warn("calls: could not decline", error.message); // answered or over meanwhile
  }
}

function ring(event) {
  const interviewId = event.interview_id;
  const left = Date.parse(event.ring_until) - Date.now();
  if (!interviewId || ringing.has(interviewId) || !(left > 0)) return; // a replayed call that is over
  const accept = h("button", { type: "button", class: "button primary call-accept" }, "Accept");
  const refuse = h("button", { type: "button", class: "button danger call-decline" }, "Decline");
  const element = h(
    "div",
    { class: "toast toast-urgent toast-call", role: "alertdialog", "data-interview-id": interviewId },
    h(
      "div",
      { class: "toast-text" },
      h("strong", {}, `${event.caller?.name ?? "Someone"} is calling`),
      h("span", {}, "Video call"),
      h("span", { class: "actions" }, accept, refuse),
    ),
  );
  accept.addEventListener("click", () => {
    stopRinging(interviewId);
    location.assign(event.room_url);
  });
  refuse.addEventListener("click", () => decline(interviewId));
  element.ringTimer = setTimeout(() => decline(interviewId), left);
  ringing.set(interviewId, element);
  document.getElementById("toasts")?.append(element);
}

realtime.on("call_incoming", ring);
