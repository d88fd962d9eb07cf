// Chat: conversation list (unread counts, presence), one conversation (history paging, typing,
// read receipts, attachments, editing own messages, a group's members, muting) and message search.
// Text goes over REST; live updates over the socket.
import { api } from "./api.js";
import { me, notifications, realtime } from "./app.js";
import { h, highlighted, sanitizedHtml, timeElement } from "./dom.js";

const root = document.getElementById("chat");
const openId = root.dataset.conversationId || null;
const el = {
  list: document.getElementById("conv-list"),
  empty: document.getElementById("conv-empty"),
  title: document.getElementById("conv-title"),
  older: document.getElementById("older"),
  messages: document.getElementById("messages"),
  typing: document.getElementById("typing"),
  composer: document.getElementById("composer"),
  input: document.getElementById("message-input"),
  file: document.getElementById("attachment"),
  fileName: document.getElementById("attachment-name"),
  error: document.getElementById("composer-error"),
  search: document.getElementById("chat-search"),
  results: document.getElementById("search-results"),
  mute: document.getElementById("mute-toggle"),
  membersToggle: document.getElementById("members-toggle"),
  members: document.getElementById("members-panel"),
  memberList: document.getElementById("members-list"),
  memberAdd: document.getElementById("member-add"),
  memberSelect: document.getElementById("member-add-user"),
  leave: document.getElementById("leave-group"),
  membersError: document.getElementById("members-error"),
  gone: document.getElementById("conv-gone"),
};
// The server refuses edits after this many minutes; the page offers "Edit" only until then.
const EDIT_MS = Number(root.dataset.editMinutes || 0) * 60_000;

const TYPING_REFRESH_MS = 2_000; // the server coalesces to one `is_typing: true` per 2 s anyway
const TYPING_SHOWN_MS = 6_000; // the server sends `false` after 5 s without a refresh; this is a backstop

let conversations = [];
const online = new Map(); // user id -> bool
let conversation = null; // the open one
const messages = new Map(); // message id -> message, for the open conversation
let olderUrl = null;
const typingNow = new Map(); // user id -> timer
let lastTypingSent = 0;

// --- conversation list ---------------------------------------------------------------
function others(conv) {
  return conv.participants.filter((p) => p.user_id !== me.id);
}

function nameOf(conv) {
  return conv.title || others(conv).map((p) => p.name).join(", ") || "Just you";
}

function renderList() {
  el.empty.hidden = conversations.length > 0;
  el.list.replaceChildren(
    ...conversations.map((conv) => {
      const anyoneOnline = others(conv).some((p) => online.get(p.user_id));
      const unread = conv.unread_count;
      return h(
        "li",
        { class: "conv", dataset: { conversationId: conv.id } },
        h(
          "a",
          { href: `/chat/${conv.id}/`, "aria-current": conv.id === openId ? "page" : null },
          h("span", {
            class: `presence${anyoneOnline ? " online" : ""}`,
            role: "img",
            "aria-label": anyoneOnline ? "online" : "offline",
          }),
          h("span", { class: "conv-name" }, nameOf(conv)),
          conv.muted ? h("span", { class: "conv-muted", title: "Muted" }, "Muted") : null,
          unread
            ? h(
                "span",
                { class: "badge conv-unread", dataset: { count: String(unread) } },
                String(unread),
                h("span", { class: "visually-hidden" }, " unread"),
              )
            : null,
          conv.last_message_at ? timeElement(conv.last_message_at) : null,
        ),
      );
    }),
  );
}

async function loadList() {
  try {
    const data = await api("/api/chat/conversations/?page_size=100");
    conversations = data.results;
    for (const conv of conversations) for (const p of others(conv)) online.set(p.user_id, p.online);
    renderList();
    if (conversation) renderAddChoices();
  } catch (error) {
    el.empty.hidden = false;
    el.empty.textContent = `Could not load conversations: ${error.message}`;
  }
}

// --- the open conversation -------------------------------------------------------------
function readByOthers(message) {
  // Read once every other participant has read up to it (for a group: everyone).
  const readers = others(conversation);
  const sent = Date.parse(message.created_at);
  return readers.length > 0 && readers.every((p) => p.last_read_at && Date.parse(p.last_read_at) >= sent);
}

function attachmentView(attachment) {
  if (!attachment) return null;
  const size = attachment.size >= 1024 * 1024 ? `${(attachment.size / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(attachment.size / 1024)} KB`;
  return h("a", { class: "attachment", href: attachment.url, download: attachment.name }, `Attachment: ${attachment.name} (${size})`);
}

function messageView(message) {
  const mine = message.sender_id === me.id;
  const sender = mine ? "You" : message.sender_name || conversation.participants.find((p) => p.user_id === message.sender_id)?.name || "Someone";
  const body = message.deleted
    ? h("p", { class: "muted deleted" }, "Message deleted")
    : h("div", { class: "content" }, sanitizedHtml(message.content));
  const receipt = mine && !message.deleted
    ? h("span", { class: "receipt", dataset: { receipt: readByOthers(message) ? "read" : "sent" } }, readByOthers(message) ? "Read" : "Sent")
    : null;
  const edited = message.edited_at && !message.deleted ? h("span", { class: "edited", title: new Date(message.edited_at).toLocaleString() }, "edited") : null;
  const edit = editable(message)
    ? h("button", { type: "button", class: "link-button edit-message", onclick: () => startEdit(message.id) }, "Edit", h("span", { class: "visually-hidden" }, " message"))
    : null;
  return h(
    "li",
    { class: `message${mine ? " mine" : ""}`, dataset: { messageId: message.id } },
    h("span", { class: "sender" }, sender),
    editing === message.id ? editForm(message) : body,
    message.deleted ? null : attachmentView(message.attachment),
    h("span", { class: "meta" }, timeElement(message.created_at), edited, receipt, editing === message.id ? null : edit),
  );
}

// --- editing own messages -------------------------------------------------------------------
let editing = null; // id of the message being edited

function editable(message) {
  return message.sender_id === me.id && !message.deleted && Date.now() - Date.parse(message.created_at) < EDIT_MS;
}

function plainText(html) {
  return new DOMParser().parseFromString(html || "", "text/html").body.textContent;
}

function editForm(message) {
  const input = h("textarea", { class: "edit-input", rows: 2, maxlength: 5000, "aria-label": "Edit your message" }, plainText(message.content));
  const error = h("p", { class: "field-error", role: "alert" });
  const form = h(
    "form",
    { class: "edit-form" },
    input,
    h("div", { class: "edit-buttons" },
      h("button", { type: "submit", class: "button small primary" }, "Save"),
      h("button", { type: "button", class: "button small", onclick: () => stopEdit() }, "Cancel"),
    ),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const saved = await api(`/api/chat/conversations/${openId}/messages/${message.id}/`, { method: "PATCH", json: { content: input.value } });
      messages.set(saved.id, saved);
      stopEdit();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") stopEdit();
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  requestAnimationFrame(() => input.focus());
  return form;
}

function startEdit(id) {
  editing = id;
  renderMessages({ keepScroll: true });
}

function stopEdit() {
  editing = null;
  renderMessages({ keepScroll: true });
}

function renderMessages({ keepScroll = false } = {}) {
  const before = el.messages.scrollHeight - el.messages.scrollTop;
  const ordered = [...messages.values()].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  el.messages.replaceChildren(...ordered.map(messageView));
  // Older pages keep the reader where they were; anything else shows the newest message.
  el.messages.scrollTop = keepScroll ? el.messages.scrollHeight - before : el.messages.scrollHeight;
  el.older.hidden = !olderUrl;
}

function renderReceipts() {
  for (const node of el.messages.querySelectorAll(".receipt")) {
    const message = messages.get(node.closest("[data-message-id]").dataset.messageId);
    const read = readByOthers(message);
    node.dataset.receipt = read ? "read" : "sent";
    node.textContent = read ? "Read" : "Sent";
  }
}

function pathOf(url) {
  const parsed = new URL(url, location.origin);
  return parsed.pathname + parsed.search;
}

async function loadPage(url) {
  const data = await api(url);
  for (const message of data.results) messages.set(message.id, message);
  olderUrl = data.next ? pathOf(data.next) : null;
}

async function openConversation() {
  conversation = await api(`/api/chat/conversations/${openId}/`);
  for (const p of others(conversation)) online.set(p.user_id, p.online);
  el.title.textContent = nameOf(conversation);
  document.title = `${nameOf(conversation)} · Chat · Kazi`;
  renderHeader();
  showCallButton(conversation);
  messages.clear();
  await loadPage(`/api/chat/conversations/${openId}/messages/?page_size=30`);
  renderMessages();
  markRead();
}

let readTimer = null;
function markRead() {
  // Debounced: a burst of incoming messages costs one request.
  clearTimeout(readTimer);
  readTimer = setTimeout(async () => {
    if (document.visibilityState !== "visible" || !conversation) return;
    await api(`/api/chat/conversations/${openId}/mark-as-read/`, { method: "POST" }).catch(() => {});
    const listed = conversations.find((c) => c.id === openId);
    if (listed && listed.unread_count) {
      listed.unread_count = 0;
      renderList();
    }
  }, 150);
}

// --- typing ---------------------------------------------------------------------------------
function renderTyping() {
  const names = [...typingNow.keys()].map(
    (id) => conversation?.participants.find((p) => p.user_id === id)?.name ?? "Someone",
  );
  el.typing.textContent = names.length ? `${names.join(", ")} ${names.length > 1 ? "are" : "is"} typing…` : "";
}

function sendTyping(isTyping) {
  if (!openId) return;
  const now = Date.now();
  if (isTyping && now - lastTypingSent < TYPING_REFRESH_MS) return;
  lastTypingSent = isTyping ? now : 0;
  realtime.send({ type: "typing", conversation_id: openId, is_typing: isTyping });
}

// --- sending ---------------------------------------------------------------------------------
async function send(event) {
  event.preventDefault();
  el.error.textContent = "";
  const content = el.input.value;
  const file = el.file.files[0];
  if (!content.trim() && !file) return;
  const button = el.composer.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    let message;
    if (file) {
      const form = new FormData();
      form.set("content", content);
      form.set("message_type", file.type.startsWith("image/") ? "image" : "file");
      form.set("attachment", file);
      message = await api(`/api/chat/conversations/${openId}/messages/`, { method: "POST", form });
    } else {
      message = await api(`/api/chat/conversations/${openId}/messages/`, { method: "POST", json: { content } });
    }
    messages.set(message.id, message);
    renderMessages();
    el.input.value = "";
    el.file.value = "";
    el.fileName.textContent = "";
    sendTyping(false);
  } catch (error) {
    el.error.textContent = error.message;
  } finally {
    button.disabled = false;
    el.input.focus();
  }
}

// --- search ------------------------------------------------------------------------------
async function search(event) {
  event.preventDefault();
  const q = new FormData(el.search).get("q").trim();
  if (!q) {
    el.results.hidden = true;
    return;
  }
  try {
    const data = await api(`/api/chat/search/?q=${encodeURIComponent(q)}`);
    el.results.replaceChildren(
      ...(data.results.length
        ? data.results.map((row) =>
            h(
              "li",
              {},
              h(
                "a",
                { href: `/chat/${row.conversation_id}/` },
                h("span", { class: "sender" }, row.message.sender_name),
                " ",
                h("span", {}, highlighted(row.highlight)),
              ),
            ),
          )
        : [h("li", { class: "muted" }, "No messages match.")]),
    );
  } catch (error) {
    el.results.replaceChildren(h("li", { class: "field-error" }, error.message));
  }
  el.results.hidden = false;
}

// --- live updates ---------------------------------------------------------------------------
// Messages of the open conversation are read here: the notification center marks them read, no toast.
notifications.quietWhen(
  (item) =>
    openId !== null &&
    document.visibilityState === "visible" &&
    (item.type === "new_message" || (item.type === "notification" && item.notification_type === "message")) &&
    item.data?.conversation_id === openId,
);

realtime.on("new_message", (event) => {
  const message = event.message;
  if (event.conversation_id === openId && conversation) {
    messages.set(message.id, { ...message, sender_name: "", deleted: Boolean(message.deleted) });
    typingNow.delete(message.sender_id);
    renderTyping();
    renderMessages();
    if (message.sender_id !== me.id) markRead();
  }
  const listed = conversations.find((c) => c.id === event.conversation_id);
  if (!listed) {
    loadList();
    return;
  }
  listed.last_message_at = message.created_at;
  if (message.sender_id !== me.id && event.conversation_id !== openId) listed.unread_count += 1;
  conversations = [listed, ...conversations.filter((c) => c !== listed)];
  renderList();
});

realtime.on("user_typing", (event) => {
  if (event.conversation_id !== openId) return;
  clearTimeout(typingNow.get(event.user_id));
  if (event.is_typing) {
    typingNow.set(
      event.user_id,
      setTimeout(() => {
        typingNow.delete(event.user_id);
        renderTyping();
      }, TYPING_SHOWN_MS),
    );
  } else {
    typingNow.delete(event.user_id);
  }
  renderTyping();
});

realtime.on("messages_read", (event) => {
  if (event.conversation_id !== openId || !conversation) return;
  const participant = conversation.participants.find((p) => p.user_id === event.user_id);
  if (participant) participant.last_read_at = event.up_to;
  renderReceipts();
});

realtime.on("message_deleted", (event) => {
  const message = messages.get(event.message_id);
  if (event.conversation_id !== openId || !message) return;
  messages.set(message.id, { ...message, deleted: true, content: "", attachment: null });
  renderMessages({ keepScroll: true });
});

realtime.on("message_edited", (event) => {
  const message = messages.get(event.message.id);
  if (event.conversation_id !== openId || !message) return;
  messages.set(message.id, { ...message, ...event.message });
  if (editing !== message.id) renderMessages({ keepScroll: true });
});

realtime.on("participant_added", (event) => {
  if (event.user_id === me.id || !conversations.some((c) => c.id === event.conversation_id)) {
    loadList();
    return;
  }
  if (event.conversation_id === openId && conversation) {
    if (!conversation.participants.some((p) => p.user_id === event.user_id)) {
      conversation.participants.push({ user_id: event.user_id, name: event.name, user_type: "", last_read_at: null, online: false });
    }
    renderHeader();
  }
});

realtime.on("participant_removed", (event) => {
  if (event.user_id === me.id) {
    // Out of the group: it leaves the list, and an open view of it stops taking messages.
    conversations = conversations.filter((c) => c.id !== event.conversation_id);
    renderList();
    if (event.conversation_id === openId) closeAsGone();
    return;
  }
  if (event.conversation_id === openId && conversation) {
    conversation.participants = conversation.participants.filter((p) => p.user_id !== event.user_id);
    renderHeader();
  }
});

realtime.on("presence", (event) => {
  online.set(event.user_id, event.online);
  renderList();
});

realtime.on("reload", () => {
  // Events were missed beyond what the server keeps: reload everything shown.
  loadList();
  if (openId) openConversation();
});

// --- header: mute and a group's members --------------------------------------------------------
function renderHeader() {
  if (!conversation) return;
  el.mute.hidden = false;
  el.mute.setAttribute("aria-pressed", String(Boolean(conversation.muted)));
  el.mute.textContent = conversation.muted ? "Muted" : "Mute";
  el.mute.title = conversation.muted ? "Unmute: toasts and mail again" : "Mute: no toasts or mail for this conversation";
  const group = conversation.kind === "group";
  el.membersToggle.hidden = !group;
  el.membersToggle.textContent = `Members (${conversation.participants.length})`;
  if (!group) return;
  loadColleagues();
  el.memberList.replaceChildren(
    ...conversation.participants.map((p) =>
      h(
        "li",
        { dataset: { userId: p.user_id } },
        h("span", {}, p.user_id === me.id ? `${p.name} (you)` : p.name),
        p.user_id === me.id
          ? null
          : h("button", { type: "button", class: "link-button danger", onclick: () => removeMember(p) }, "Remove", h("span", { class: "visually-hidden" }, ` ${p.name}`)),
      ),
    ),
  );
  renderAddChoices();
}

let colleagues = null; // a recruiter's company colleagues, who may be added too (loaded once)

async function loadColleagues() {
  if (me.type !== "recruiter" || colleagues) return;
  colleagues = [];
  try {
    const { company } = await api("/api/auth/me/");
    if (!company) return;
    const members = await api(`/api/companies/${company}/members/`);
    colleagues = members.map((m) => [String(m.id), `${m.first_name} ${m.last_name}`.trim() || m.email]);
  } catch {
    colleagues = [];
  }
  if (conversation) renderAddChoices();
}

function renderAddChoices() {
  // People the user already talks with elsewhere, and a recruiter's colleagues, not in this group yet.
  const inGroup = new Set(conversation.participants.map((p) => p.user_id));
  const known = new Map();
  for (const conv of conversations) for (const p of others(conv)) if (!inGroup.has(p.user_id)) known.set(p.user_id, p.name);
  for (const [id, name] of colleagues ?? []) if (!inGroup.has(id)) known.set(id, name);
  const chosen = el.memberSelect.value; // a live update re-renders the list: keep what the user picked
  el.memberSelect.replaceChildren(
    h("option", { value: "" }, known.size ? "Choose a person" : "Nobody else to add"),
    ...[...known].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => h("option", { value: id }, name)),
  );
  if (known.has(chosen)) el.memberSelect.value = chosen;
}

async function toggleMute() {
  const muted = !conversation.muted;
  try {
    await api(`/api/chat/conversations/${openId}/mute/`, { method: "POST", json: { muted } });
    conversation.muted = muted;
    const listed = conversations.find((c) => c.id === openId);
    if (listed) listed.muted = muted;
    renderHeader();
    renderList();
  } catch (error) {
    el.error.textContent = error.message;
  }
}

function refreshConversation(updated) {
  conversation = { ...conversation, participants: updated.participants };
  renderHeader();
}

async function addMember(event) {
  event.preventDefault();
  el.membersError.textContent = "";
  const userId = Number(el.memberSelect.value);
  if (!userId) {
    el.membersError.textContent = "Choose a person to add.";
    return;
  }
  try {
    refreshConversation(await api(`/api/chat/conversations/${openId}/participants/`, { method: "POST", json: { user_id: userId } }));
  } catch (error) {
    el.membersError.textContent = error.message;
  }
}

async function removeMember(participant) {
  el.membersError.textContent = "";
  try {
    refreshConversation(await api(`/api/chat/conversations/${openId}/participants/${participant.user_id}/`, { method: "DELETE" }));
  } catch (error) {
    el.membersError.textContent = error.message;
  }
}

async function leaveGroup() {
  if (!confirm("Leave this group? You will no longer see its messages.")) return;
  try {
    await api(`/api/chat/conversations/${openId}/participants/${me.id}/`, { method: "DELETE" });
    location.assign("/chat/");
  } catch (error) {
    el.membersError.textContent = error.message;
  }
}

function closeAsGone() {
  conversation = null;
  el.gone.hidden = false;
  el.composer.hidden = true;
  el.members.hidden = true;
  el.mute.hidden = true;
  el.membersToggle.hidden = true;
}

// --- wiring ----------------------------------------------------------------------------------
el.search.addEventListener("submit", search);
if (openId) {
  el.composer.addEventListener("submit", send);
  el.input.addEventListener("input", () => sendTyping(el.input.value.length > 0));
  el.input.addEventListener("blur", () => sendTyping(false));
  el.input.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter starts a new line.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el.composer.requestSubmit();
    }
  });
  el.mute.addEventListener("click", toggleMute);
  el.membersToggle.addEventListener("click", () => {
    el.members.hidden = !el.members.hidden;
    el.membersToggle.setAttribute("aria-expanded", String(!el.members.hidden));
  });
  el.memberAdd.addEventListener("submit", addMember);
  el.leave.addEventListener("click", leaveGroup);
  el.file.addEventListener("change", () => {
    el.fileName.textContent = el.file.files[0] ? `Attached: ${el.file.files[0].name}` : "";
  });
  el.older.addEventListener("click", async () => {
    if (!olderUrl) return;
    el.older.disabled = true;
    await loadPage(olderUrl);
    renderMessages({ keepScroll: true });
    el.older.disabled = false;
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    markRead();
    notifications.readQuiet();
  });
  openConversation().catch((error) => {
    el.title.textContent = `Could not open the conversation: ${error.message}`;
  });
}
loadList();

// --- calls from chat: "Video call" in a direct conversation rings the other person (static/kazi/calls.js) ---
function showCallButton(conv) {
  let button = document.getElementById("video-call");
  if (conv.kind !== "direct") {
    button?.remove();
    return;
  }
  if (!button) {
    button = h("button", { type: "button", id: "video-call", class: "button primary" }, "Video call");
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const call = await api(`/api/chat/conversations/${openId}/call/`, { method: "POST" });
        location.assign(call.room_url);
      } catch (error) {
        button.disabled = false;
        el.title.textContent = `Could not start the call: ${error.message}`;
      }
    });
    document.querySelector(".chat-head").append(button);
  }
}
