// The notification center in the header: unread badge, dropdown list, toasts, desktop notifications.
import { api } from "./api.js";
import { h, timeElement } from "./dom.js";
import { icon, kindOf } from "./icons.js";
import { toast } from "./toasts.js";

const SHOWN = 50;

/** A socket event in the shape of a row of GET /api/notifications/. */
export function fromEvent(event) {
  const { type, id, message, title, timestamp, notification_type, priority, data, ...fields } = event;
  const text = type === "new_message" ? "" : (message ?? "");
  return {
    id,
    type,
    notification_type: notification_type ?? "",
    title: title ?? "",
    message: text,
    priority: priority ?? "normal",
    data: type === "new_message" ? { ...fields, message } : { ...fields, ...(data ?? {}) },
    read: false,
    created_at: timestamp,
    related_object: null,
  };
}

function plain(html) {
  return html ? new DOMParser().parseFromString(html, "text/html").body.textContent : "";
}

/** Where clicking a notification takes the user. */
export function linkOf(item, me) {
  const data = item.data ?? {};
  const related = item.related_object;
  const kind = item.type === "notification" ? item.notification_type : item.type;
  const jobPage = (id) => (me.type === "job_seeker" ? `/jobs/${id}/` : `/recruiter/jobs/${id}/`);
  switch (kind) {
    case "job_posted":
    case "match_score_calculated":
    case "job_alert":
      return data.job_id ? `/jobs/${data.job_id}/` : null;
    case "application_received":
    case "application_status_changed":
      return data.job_id ? jobPage(data.job_id) : null;
    case "new_message":
    case "message":
      return data.conversation_id ? `/chat/${data.conversation_id}/` : null;
    case "resume_completed":
      return "/profile/"; // its message sends the seeker to the profile's suggestions
    case "resume_failed":
      return "/resume/";
    case "match_found":
      return related?.type === "job" ? `/recruiter/jobs/${related.id}/` : null;
  }
  if (related?.type === "job") return `/jobs/${related.id}/`;
  if (related?.type === "conversation") return `/chat/${related.id}/`;
  return null;
}

/** {title, body} in plain text: chat text arrives as sanitized HTML and is shown without markup. */
export function describe(item) {
  const words = kindOf(item)[1];
  if (item.type === "new_message") {
    const message = item.data?.message ?? {};
    return { title: "New message", body: plain(message.content) || message.attachment?.name || "" };
  }
  // A job alert carries no message (the contract's frame): its text is made from its fields.
  if (item.type === "job_alert") return { title: `Job alert: ${item.data?.job_title ?? "a new job"}`, body: "" };
  const body = item.type === "notification" && item.notification_type === "message" ? plain(item.message) : item.message;
  if (item.title) return { title: item.title, body: body && body !== item.title ? body : "" };
  return body ? { title: body, body: "" } : { title: words, body: "" };
}

function ownMessage(item, me) {
  return item.type === "new_message" && item.data?.message?.sender_id === me.id;
}

export class NotificationCenter {
  constructor({ realtime, me, ambientTypes = new Set() }) {
    this.realtime = realtime;
    this.me = me;
    this.ambient = ambientTypes;
    this.items = new Map();
    this.unread = 0;
    this.newestLoaded = 0; // events above this id were not in the REST answers
    this.quiet = []; // predicates: events a page shows itself (the open conversation)
    this.el = {
      toggle: document.getElementById("notif-toggle"),
      label: document.getElementById("notif-label"),
      badge: document.getElementById("notif-badge"),
      panel: document.getElementById("notif-panel"),
      list: document.getElementById("notif-list"),
      empty: document.getElementById("notif-empty"),
      readAll: document.getElementById("notif-read-all"),
      os: document.getElementById("notif-os"),
    };
    if (!this.el.toggle) return;
    this.bindUi();
    realtime.on("*", (message) => {
      if (Number.isInteger(message.id)) this.receive(message);
    });
    realtime.on("reload", () => this.load());
    // A tab's first socket asks for a reload once it is connected (then REST and socket meet at the
    // same event id); a tab that has connected before loads now and gets the rest replayed.
    if (realtime.lastEventId !== null) this.load();
    setTimeout(() => this.loading ?? this.load(), 3_000); // no socket yet: show what REST has
  }

  /** A page that shows some notifications itself (the open conversation) has them read, not toasted:
   * `predicate(item)` sees rows in the shape of GET /api/notifications/, live or loaded. */
  quietWhen(predicate) {
    this.quiet.push(predicate);
    this.readQuiet();
  }

  isQuiet(item) {
    return this.quiet.some((predicate) => predicate(item));
  }

  readQuiet() {
    for (const item of this.items.values()) if (!item.read && this.isQuiet(item)) this.markRead(item);
  }

  load() {
    // Serialized: the page's own load and a socket "reload" may ask at the same time.
    this.loading = (this.loading ?? Promise.resolve()).then(() => this.fetchState());
    return this.loading;
  }

  async fetchState() {
    try {
      // The count first, then the list: an event stored in between is in the list but not the
      // count, and is counted when its socket copy arrives (its id is above newestLoaded).
      const { count: total } = await api("/api/notifications/unread-count/");
      const skipped = this.ambient.size ? `&exclude_type=${[...this.ambient].join(",")}` : "";
      const page = await api(`/api/notifications/?page_size=${SHOWN}${skipped}`);
      // The sender's own copy of a chat message is stored read (it is not news to them): not listed.
      const loaded = new Map(page.results.filter((row) => !ownMessage(row, this.me)).map((row) => [row.id, row]));
      for (const [id, item] of this.items) if (!loaded.has(id) && id > this.newestLoaded) loaded.set(id, item);
      this.items = loaded;
      this.newestLoaded = Math.max(this.newestLoaded, ...page.results.map((row) => row.id), 0);
      this.setUnread(total);
      this.render();
      this.readQuiet();
      this.el.panel.dataset.loaded = "true";
    } catch (error) {
      console.warn("notifications: could not load", error);
    }
  }

  receive(event) {
    // News for everyone (a new job) is not the person's business: the jobs page shows it its own way.
    if (this.ambient.has(event.type)) return;
    const item = fromEvent(event);
    if (ownMessage(item, this.me)) return; // the sender's own copy, stored read: nothing new to them
    if (this.items.has(item.id)) return;
    // A message of a conversation the user muted: stored read by the server, listed, never announced.
    if (event.muted === true) item.read = true;
    // The one who changed a group's members is not told of it (their copy is stored read).
    if ((event.added_by ?? event.removed_by) === this.me.id) item.read = true;
    this.items.set(item.id, item);
    if (item.id > this.newestLoaded && !item.read) this.setUnread(this.unread + 1);
    this.render();
    if (item.read) return;
    if (this.isQuiet(item)) {
      this.markRead(item);
      return;
    }
    this.announce(item);
  }

  announce(item) {
    const [iconName] = kindOf(item);
    const href = linkOf(item, this.me);
    const { title, body: message } = describe(item);
    toast({ title, message, href, iconNode: icon(iconName), kind: item.priority === "urgent" ? "urgent" : "info" });
    if ("Notification" in window && Notification.permission === "granted" && document.visibilityState === "hidden") {
      const desktop = new Notification(title, { body: message, tag: `kazi-${item.id}` });
      desktop.onclick = () => {
        window.focus();
        if (href) location.assign(href);
      };
    }
  }

  setUnread(count) {
    this.unread = Math.max(0, count);
    const { badge, label } = this.el;
    badge.textContent = this.unread > 99 ? "99+" : String(this.unread);
    badge.dataset.count = String(this.unread);
    badge.hidden = this.unread === 0;
    label.textContent = this.unread ? `Notifications, ${this.unread} unread` : "Notifications";
  }

  async markRead(item) {
    if (!item.read && this.items.has(item.id)) {
      item.read = true;
      this.setUnread(this.unread - 1);
      this.render();
    }
    try {
      await api(`/api/notifications/${item.id}/read/`, { method: "POST" });
    } catch (error) {
      if (error.status !== 404) console.warn("notifications: mark read failed", error);
    }
  }

  async remove(item) {
    await api(`/api/notifications/${item.id}/`, { method: "DELETE" }).catch((error) => {
      if (error.status !== 404) throw error;
    });
    this.items.delete(item.id);
    if (!item.read) this.setUnread(this.unread - 1);
    this.render();
  }

  async markAllRead() {
    await api("/api/notifications/read-all/", { method: "POST" });
    for (const item of this.items.values()) item.read = true;
    this.setUnread(0);
    this.render();
  }

  render() {
    const rows = [...this.items.values()].sort((a, b) => b.id - a.id).slice(0, SHOWN);
    this.el.list.replaceChildren(...rows.map((item) => this.row(item)));
    this.el.empty.hidden = rows.length > 0;
  }

  row(item) {
    const [iconName, words] = kindOf(item);
    const href = linkOf(item, this.me);
    const text = h(
      "span",
      { class: "notif-text" },
      h("span", { class: "visually-hidden" }, `${words}${item.read ? "" : ", unread"}: `),
      h("strong", {}, describe(item).title),
      describe(item).body ? h("span", { class: "notif-message" }, describe(item).body) : null,
      timeElement(item.created_at),
    );
    const main = href
      ? h("a", { href, class: "notif-main", onclick: (event) => this.follow(event, item, href) }, text)
      : h("div", { class: "notif-main" }, text);
    const actions = h(
      "div",
      { class: "notif-actions" },
      item.read
        ? null
        : h("button", { type: "button", class: "link-button", onclick: () => this.markRead(item) }, "Mark read"),
      h(
        "button",
        { type: "button", class: "link-button danger", "aria-label": "Delete notification", onclick: () => this.remove(item) },
        "Delete",
      ),
    );
    return h(
      "li",
      { class: `notif-item${item.read ? "" : " unread"}`, dataset: { id: String(item.id), type: item.type } },
      h("span", { class: `notif-icon icon-${iconName}` }, icon(iconName)),
      main,
      actions,
    );
  }

  async follow(event, item, href) {
    if (item.read) return;
    event.preventDefault();
    await this.markRead(item);
    location.assign(href);
  }

  bindUi() {
    const { toggle, panel, readAll, os } = this.el;
    const setOpen = (open) => {
      panel.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      if (open) (panel.querySelector("a, button") ?? panel).focus();
    };
    toggle.addEventListener("click", () => setOpen(panel.hidden));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !panel.hidden) {
        setOpen(false);
        toggle.focus();
      }
    });
    document.addEventListener("click", (event) => {
      // The path as dispatched: a button the click re-rendered away is no longer inside the panel.
      const path = event.composedPath();
      if (!panel.hidden && !path.includes(panel) && !path.includes(toggle)) setOpen(false);
    });
    readAll.addEventListener("click", () => this.markAllRead());
    if ("Notification" in window && Notification.permission === "default") {
      os.hidden = false;
      os.addEventListener("click", async () => {
        const answer = await Notification.requestPermission();
        os.hidden = answer !== "default";
      });
    }
  }
}
