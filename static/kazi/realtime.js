// Kazi reference client for ws/notifications/ (see docs/websocket-protocol.md, "Reference client").
//
//   const rt = new RealtimeClient({ userId: "17" });
//   rt.on("application_status_changed", (event) => …);   // one event type
//   rt.on("*", (message) => …);                           // every server message
//   rt.on("reload", ({ lastEventId }) => …);              // load state over REST
//   rt.on("open", ({ send }) => send({ type: "watch_resume", resume_id }));  // per-socket state
//   rt.on("state", ({ state }) => …);                     // connecting | open | reconnecting | closed
//   rt.start();
//
// Stored events (those with an integer `id`) reach listeners once per tab, in the order they
// arrive, however many times the socket drops: the last id seen is kept in sessionStorage and
// sent as `last_event_id` on every reconnect, and ids already delivered are skipped.

export const STATES = Object.freeze({
  CONNECTING: "connecting",
  OPEN: "open",
  RECONNECTING: "reconnecting",
  CLOSED: "closed",
});

const DEFAULTS = {
  path: "/ws/notifications/",
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  pingIntervalMs: 30_000,
  pongTimeoutMs: 10_000,
  ackDelayMs: 1_000,
  // async () => access token, or null to authenticate with the session cookie.
  getToken: null,
  storage: globalThis.sessionStorage,
};

const AUTH_CLOSES = new Set([4001, 4003, 4004]);
const ABUSE_CLOSES = new Set([4029, 1009]);
const SEEN_LIMIT = 2048;

export class RealtimeClient {
  constructor({ userId, ...options }) {
    if (!userId) throw new Error("RealtimeClient needs the logged-in user's id");
    this.options = { ...DEFAULTS, ...options };
    this.key = `kazi.lastEventId.${userId}`;
    this.listeners = new Map();
    this.state = STATES.CLOSED;
    this.socket = null;
    this.attempt = 0;
    this.stopped = true;
    this.floor = 0; // ids at or below this came from REST (after a reload): never dispatched
    this.seen = new Set();
    this.types = null; // the filter of the last `subscribed` answer; null: every type
    this.timers = { retry: null, ping: null, pong: null, ack: null };
    this.ackId = 0;
    this.authRetried = false;
    this.onOnline = () => {
      if (!this.socket && !this.stopped) {
        this.attempt = 0;
        this.schedule(0);
      }
    };
  }

  // --- public API -------------------------------------------------------------------
  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
    return () => this.listeners.get(type)?.delete(listener);
  }

  start() {
    if (!this.stopped) return this;
    this.stopped = false;
    globalThis.addEventListener?.("online", this.onOnline);
    this.open();
    return this;
  }

  stop() {
    this.stopped = true;
    globalThis.removeEventListener?.("online", this.onOnline);
    clearTimeout(this.timers.retry);
    this.stopTimers();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
    this.setState(STATES.CLOSED);
  }

  /** Send a client frame; false when the socket is not open (per-socket state is re-sent on "open"). */
  send(message) {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  get lastEventId() {
    const value = this.options.storage?.getItem(this.key);
    return value === null || value === undefined ? null : Number(value);
  }

  // --- connection ---------------------------------------------------------------------
  async url() {
    const query = new URLSearchParams();
    const token = this.options.getToken ? await this.options.getToken() : null;
    if (token) query.set("token", token);
    const last = this.lastEventId;
    if (last !== null) query.set("last_event_id", String(last));
    // The socket's filter, sent again with the reconnect so that the replay honours it too.
    if (this.types !== null) query.set("notification_types", this.types.join(","));
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const suffix = query.toString() ? `?${query}` : "";
    return `${scheme}://${location.host}${this.options.path}${suffix}`;
  }

  async open() {
    clearTimeout(this.timers.retry);
    if (this.stopped) return;
    this.setState(this.attempt === 0 && this.state !== STATES.RECONNECTING ? STATES.CONNECTING : STATES.RECONNECTING);
    let url;
    try {
      url = await this.url();
    } catch {
      this.schedule(this.backoff()); // token provider failed (network): try again later
      return;
    }
    if (this.stopped) return;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onmessage = (event) => {
      if (socket === this.socket) this.receive(socket, event.data);
    };
    socket.onclose = (event) => {
      if (socket === this.socket) this.closed(event.code);
    };
  }

  backoff() {
    // Full jitter: a random delay up to an exponentially growing cap, so that a restarted
    // server is not hit by every tab at the same moment.
    const cap = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** this.attempt);
    this.attempt += 1;
    return Math.random() * cap;
  }

  schedule(delay) {
    clearTimeout(this.timers.retry);
    if (this.stopped) return;
    this.setState(STATES.RECONNECTING);
    this.timers.retry = setTimeout(() => this.open(), delay);
  }

  stopTimers() {
    clearInterval(this.timers.ping);
    clearTimeout(this.timers.pong);
    clearTimeout(this.timers.ack);
    this.timers.ack = null;
  }

  closed(code) {
    this.socket = null;
    this.stopTimers();
    if (this.stopped) return;
    if (AUTH_CLOSES.has(code)) {
      // With a token provider, one fresh token may fix it; with the session cookie it means logged out.
      if (this.options.getToken && !this.authRetried) {
        this.authRetried = true;
        this.schedule(0);
        return;
      }
      this.stopped = true;
      this.setState(STATES.CLOSED);
      this.emit("logged_out", { code });
      return;
    }
    if (code === 4008) {
      this.schedule(0); // slow consumer: come back at once, the replay fills the gap
    } else if (ABUSE_CLOSES.has(code)) {
      this.schedule(Math.max(5_000, this.backoff()));
    } else {
      this.schedule(this.backoff()); // 1006 (server gone), 1011, 1001, …
    }
  }

  drop(socket) {
    // No pong: the connection is dead without a close frame. Don't wait for TCP to notice.
    if (socket !== this.socket) return;
    this.socket = null;
    this.stopTimers();
    socket.close();
    this.schedule(this.backoff());
  }

  startPing(socket) {
    clearInterval(this.timers.ping);
    this.timers.ping = setInterval(() => {
      if (socket !== this.socket) return;
      this.send({ type: "ping", timestamp: new Date().toISOString() });
      clearTimeout(this.timers.pong);
      this.timers.pong = setTimeout(() => this.drop(socket), this.options.pongTimeoutMs);
    }, this.options.pingIntervalMs);
  }

  // --- messages -----------------------------------------------------------------------
  receive(socket, text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    switch (message.type) {
      case "connection_established":
        this.attempt = 0;
        this.authRetried = false;
        this.startPing(socket);
        this.setState(STATES.OPEN);
        if (this.lastEventId === null) this.resync(message.last_event_id); // first connection of this tab
        this.emit("open", { send: (frame) => this.send(frame), message });
        break;
      case "pong":
        clearTimeout(this.timers.pong);
        break;
      case "resync_required":
        this.resync(message.last_event_id);
        break;
      case "subscribed":
        this.types = Array.isArray(message.notification_types) ? message.notification_types : null;
        break;
      default:
        if (Number.isInteger(message.id) && !this.accept(message.id)) return;
    }
    this.emit(message.type, message);
    this.emit("*", message);
  }

  accept(id) {
    if (id <= this.floor || this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value);
    if (id > (this.lastEventId ?? 0)) this.options.storage?.setItem(this.key, String(id));
    this.scheduleAck(id);
    return true;
  }

  resync(lastEventId) {
    // Everything up to lastEventId is now the REST API's to show.
    this.floor = lastEventId;
    this.seen.clear();
    this.options.storage?.setItem(this.key, String(lastEventId));
    this.emit("reload", { lastEventId });
  }

  scheduleAck(id) {
    // One ack a second at most: a replay of hundreds of events stays far below the rate limit.
    this.ackId = Math.max(this.ackId, id);
    this.timers.ack ??= setTimeout(() => {
      this.timers.ack = null;
      this.send({ type: "ack", id: this.ackId });
    }, this.options.ackDelayMs);
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.emit("state", { state });
  }

  emit(type, payload) {
    for (const listener of this.listeners.get(type) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        // One broken listener must not stop the others or the socket.
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}
