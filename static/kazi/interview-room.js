// The interview room (/interview/{id}/): camera and microphone, one RTCPeerConnection per other
// participant (a mesh: interviews are small), signaling over ws/interviews/{id}/
// (docs/websocket-protocol.md), and the "perfect negotiation" pattern, so that two peers that
// offer at the same moment never deadlock: the participant with the lower user id is polite
// and yields.
//
// Every relayed message carries `session`, which names the sending peer connection (this page
// and a counter). A message from a new remote session means the other side has a new peer
// connection (a reloaded page, or one that started over): ours starts over too. A socket that
// merely reconnects keeps its session, and media that still flows is left alone.
//
// Who offers is decided, not raced: a new peer connection is always first negotiated by the impolite
// side's offer. The polite side sends `hello` instead ("I have a new peer connection, offer to it"),
// and the impolite side answers a hello with an offer (from a new peer connection if the hello comes
// from a new remote session). When both sides offered at once, the polite side's rollback of an offer
// whose setLocalDescription was still running left Chromium answering without ever gathering a
// candidate: both sides `stable`, connection `new`, for good (docs/realtime.md, "Call starts").
// Later renegotiations (screen sharing, ICE restarts) may still cross and are settled by politeness.
//
// The page's state is on `window.kaziRoom` (tests read `kaziRoom.peerConnections()`).
import { api } from "./api.js";

const root = document.getElementById("interview-room");
const interviewId = root.dataset.interviewId;
const myId = document.body.dataset.userId;
const people = new Map(
  JSON.parse(document.getElementById("room-participants").textContent).map((person) => [person.user_id, person]),
);
const $ = (id) => document.getElementById(id);

const PAGE_ID = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
// Closes after which reconnecting cannot help; `null` shows the server's own `error` text.
const FINAL_CLOSES = new Map([
  [4001, "You are logged out. Log in again to join the interview."],
  [4003, "You are logged out. Log in again to join the interview."],
  [4004, "Your login expired. Reload the page to join again."],
  [4403, null],
  [4409, null],
  [4410, null], // after `room_closed`, which the page shows itself
]);
const STATUS_WORDS = {
  scheduled: "Scheduled",
  in_progress: "In progress",
  completed: "Completed",
  cancelled: "Cancelled",
  no_show: "No show",
};
const IS_CALL = root.dataset.kind === "call";
const CLOSED_TEXT = IS_CALL
  ? { completed: "The call has ended.", cancelled: "The call was not answered.", no_show: "The call has ended." }
  : {
      completed: "This interview has ended.",
      cancelled: "This interview was cancelled.",
      no_show: "This interview has ended (no-show).",
    };
const DISCONNECTED_GRACE_MS = 4000;
const QUALITY_EVERY_MS = 10_000;
const PENDING_CANDIDATES_LIMIT = 100;

function setText(element, text) {
  if (element) element.textContent = text;
}

function showError(text) {
  const element = $("room-error");
  element.textContent = text ?? "";
  element.hidden = !text;
}

// --- the signaling socket -------------------------------------------------------------------
class Signaling {
  constructor(path, { onMessage, onState }) {
    this.path = path;
    this.onMessage = onMessage;
    this.onState = onState;
    this.socket = null;
    this.attempt = 0;
    this.stopped = true;
    this.retry = null;
    this.pinger = null;
    this.lastError = null;
    this.onOnline = () => {
      if (!this.socket && !this.stopped) {
        clearTimeout(this.retry);
        this.connect();
      }
    };
  }

  start() {
    this.stopped = false;
    window.addEventListener("online", this.onOnline);
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${this.path}`);
    this.socket = socket;
    this.lastError = null;
    this.onState(this.attempt ? "reconnecting" : "connecting");
    socket.onopen = () => {
      this.pinger = setInterval(() => this.send({ type: "ping" }), 25_000);
    };
    socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === "error") this.lastError = message.message;
      if (message.type === "peers") {
        this.attempt = 0;
        this.onState("open");
      }
      this.onMessage(message);
    };
    socket.onclose = (event) => {
      this.closeCode = event.code;
      clearInterval(this.pinger);
      if (this.socket === socket) this.socket = null;
      if (this.stopped) return;
      if (FINAL_CLOSES.has(event.code)) {
        this.stop();
        this.onState("closed", FINAL_CLOSES.get(event.code) ?? this.lastError ?? "You cannot join this interview.");
        return;
      }
      const delay = Math.min(10_000, 500 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
      this.attempt += 1;
      this.onState("reconnecting");
      this.retry = setTimeout(() => this.connect(), delay);
    };
  }

  get open() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (!this.open) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.pinger);
    window.removeEventListener("online", this.onOnline);
    this.socket?.close(1000);
    this.socket = null;
  }
}

// --- one remote participant ---------------------------------------------------------------
class Peer {
  constructor(room, userId) {
    this.room = room;
    this.userId = userId;
    this.person = people.get(userId) ?? { user_id: userId, name: `Participant ${userId}`, role: "" };
    this.polite = Number(myId) < Number(userId);
    this.connections = new Set(); // the remote's signaling sockets we have heard of
    this.generation = 0;
    this.gone = false;
    this.queue = Promise.resolve();
    this.tile = this.makeTile();
    this.open();
  }

  makeTile() {
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement("figcaption");
    const name = document.createElement("span");
    name.textContent = `${this.person.name}${this.person.role ? ` (${this.person.role})` : ""} `;
    const state = document.createElement("span");
    state.className = "muted peer-state";
    caption.append(name, state);
    const figure = document.createElement("figure");
    figure.className = "room-tile";
    figure.dataset.peerId = this.userId;
    figure.append(video, caption);
    $("remote-videos").append(figure);
    this.video = video;
    this.stateLabel = state;
    return figure;
  }

  /** A new RTCPeerConnection (the first, or after the remote started over). */
  // A track added to a stream the element already holds does not always restart it, and a page reached from the
  // call toast has had no click of its own, so the autoplay policy may refuse sound: then play muted (the person
  // sees the other at once) and unmute on their first click anywhere on the page.
  playRemote() {
    this.video.play().catch((error) => {
      if (error.name !== "NotAllowedError") return;
      this.video.muted = true;
      this.video.play().catch(() => {});
      document.addEventListener("pointerdown", () => (this.video.muted = false), { once: true });
    });
  }

  open() {
    this.generation += 1;
    this.session = `${PAGE_ID}-${this.generation}`;
    this.remoteSession = null;
    this.pendingCandidates = new Map(); // remote session -> candidates that came before its offer/answer
    this.makingOffer = false;
    this.ignoreOffer = false;
    const pc = new RTCPeerConnection({ iceServers: this.room.iceServers });
    this.pc = pc;
    this.remoteStream = new MediaStream();
    this.video.srcObject = this.remoteStream;
    this.senders = {};
    for (const track of this.room.outgoingTracks()) this.senders[track.kind] = pc.addTrack(track, this.room.localStream);
    // Without a camera or microphone of our own we still want to see and hear the others.
    for (const kind of ["audio", "video"]) {
      if (!this.senders[kind]) pc.addTransceiver(kind, { direction: "recvonly" });
    }
    pc.ontrack = ({ track }) => {
      this.remoteStream.addTrack(track);
      track.onended = () => this.remoteStream.removeTrack(track);
      this.playRemote();
    };
    pc.onnegotiationneeded = () => this.onNegotiationNeeded();
    pc.onicecandidate = ({ candidate }) => {
      this.send({ type: "ice_candidate", candidate: candidate ? candidate.toJSON() : null });
    };
    pc.onconnectionstatechange = () => this.onConnectionState();
    this.showState();
  }

  send(message) {
    return this.room.send({ ...message, to: this.userId, session: this.session });
  }

  /** The first negotiation of a peer connection is always the impolite side's offer (see the top). */
  onNegotiationNeeded() {
    if (this.polite && !this.pc.currentRemoteDescription) this.send({ type: "hello" });
    else this.offer();
  }

  async offer() {
    const pc = this.pc;
    if (pc.signalingState !== "stable" || this.makingOffer) return;
    try {
      this.makingOffer = true;
      await pc.setLocalDescription();
      this.send({ type: pc.localDescription.type, sdp: pc.localDescription.sdp });
    } catch (error) {
      console.warn("interview room: could not make an offer", error);
    } finally {
      this.makingOffer = false;
    }
  }

  /** Relayed messages from this peer, one at a time and in order. */
  receive(message) {
    this.queue = this.queue.then(() => this.handle(message)).catch((error) => {
      console.warn(`interview room: ${message.type} from ${this.userId} failed`, error);
    });
  }

  async handle(message) {
    if (message.connection_id) this.connections.add(message.connection_id);
    const session = message.session ?? null;
    if (message.type === "hello") {
      this.onHello(session);
      return;
    }
    if (session !== this.remoteSession) {
      if (message.type === "offer") {
        // The other side has a new peer connection: one that already talked to an older one cannot follow.
        if (this.pc.remoteDescription) this.restart();
        this.remoteSession = session;
      } else if (message.type === "answer") {
        if (this.pc.remoteDescription) {
          // An answer from a peer connection other than the one we had: start over with an offer.
          this.restart();
          return;
        }
        this.remoteSession = session;
      } else {
        this.hold(session, message);
        return;
      }
    }
    if (message.type === "ice_candidate") {
      if (this.pc.remoteDescription) await this.addCandidate(message.candidate);
      else this.hold(session, message); // its offer or answer is still on the way
      return;
    }
    await this.onDescription(message.type, message.sdp);
    for (const early of this.pendingCandidates.get(session) ?? []) await this.addCandidate(early.candidate);
    this.pendingCandidates.delete(session);
  }

  hold(session, message) {
    const pending = this.pendingCandidates.get(session) ?? [];
    if (pending.length < PENDING_CANDIDATES_LIMIT) pending.push(message);
    this.pendingCandidates.set(session, pending);
  }

  /** The remote has a peer connection that was never negotiated and waits for our offer. */
  onHello(session) {
    const pc = this.pc;
    if (session === this.remoteSession && pc.currentRemoteDescription) return; // we already talk to it
    if (pc.remoteDescription && session !== this.remoteSession) {
      this.restart(); // a new page on the other side: our new peer connection offers to it
    } else if (pc.signalingState === "have-local-offer" && pc.localDescription) {
      this.send({ type: "offer", sdp: pc.localDescription.sdp }); // it may have gone to their old page
    } else {
      this.offer();
    }
  }

  async onDescription(type, sdp) {
    const pc = this.pc;
    if (type === "offer" && pc.signalingState === "stable" && pc.remoteDescription?.sdp === sdp) {
      // The same offer again (re-sent after a reconnect or a hello): answer it again, change nothing.
      if (pc.localDescription) this.send({ type: pc.localDescription.type, sdp: pc.localDescription.sdp });
      return;
    }
    const collision = type === "offer" && (this.makingOffer || pc.signalingState !== "stable");
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return;
    if (type === "answer" && pc.signalingState !== "have-local-offer") return; // a late answer to an old offer
    await pc.setRemoteDescription({ type, sdp }); // a polite peer's own offer is rolled back here
    if (type === "offer") {
      await pc.setLocalDescription();
      this.send({ type: pc.localDescription.type, sdp: pc.localDescription.sdp });
    }
  }

  async addCandidate(candidate) {
    if (!candidate) return; // the end of the remote's gathering: nothing to do
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (error) {
      if (!this.ignoreOffer) throw error;
    }
  }

  onConnectionState() {
    const state = this.pc.connectionState;
    clearTimeout(this.graceTimer);
    if (this.gone && state !== "connected" && state !== "connecting") {
      this.room.removePeer(this);
      return;
    }
    // ICE restarts are offers: only the impolite side makes them, so two restarts never cross (see the top).
    if (state === "failed" && !this.polite) this.restartIce();
    if (state === "disconnected" && !this.polite) {
      // Often back by itself within seconds; if not, new ICE candidates over the signaling socket.
      this.graceTimer = setTimeout(() => {
        if (this.pc.connectionState === "disconnected") this.restartIce();
      }, DISCONNECTED_GRACE_MS);
    }
    this.showState();
    this.room.showState();
  }

  restartIce() {
    if (!this.room.signaling?.open) {
      this.wantsIceRestart = true; // done when the socket is back (see nudge)
      return;
    }
    this.wantsIceRestart = false;
    this.pc.restartIce(); // fires negotiationneeded: the next offer carries new ICE credentials
  }

  /** The signaling path to this peer is (again) open: finish whatever was interrupted. */
  nudge() {
    const pc = this.pc;
    if (pc.signalingState === "have-local-offer" && pc.localDescription) {
      this.send({ type: "offer", sdp: pc.localDescription.sdp }); // it may never have arrived
    } else if (this.polite && !pc.currentRemoteDescription && pc.signalingState === "stable") {
      this.send({ type: "hello" }); // so may our hello
    }
    if (this.wantsIceRestart || pc.connectionState === "failed" || pc.iceConnectionState === "failed") {
      this.restartIce();
    }
  }

  /** Start over with a fresh peer connection (the remote did). */
  restart() {
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    for (const track of this.remoteStream.getTracks()) this.remoteStream.removeTrack(track);
    this.open();
  }

  /** The participant's last socket left the room; media that still flows is kept until it stops. */
  remoteLeft() {
    this.gone = true;
    if (this.pc.connectionState === "connected") this.showState();
    else this.room.removePeer(this);
  }

  replaceVideo(track) {
    if (this.senders.video) return this.senders.video.replaceTrack(track);
    this.senders.video = this.pc.addTrack(track, this.room.localStream); // renegotiates
    return Promise.resolve();
  }

  close() {
    clearTimeout(this.graceTimer);
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.tile.remove();
  }

  showState() {
    const state = this.gone ? "left" : this.pc.connectionState;
    const words = {
      new: "connecting…",
      connecting: "connecting…",
      connected: "connected",
      disconnected: "reconnecting…",
      failed: "reconnecting…",
      closed: "disconnected",
      left: "left the room",
    };
    this.tile.dataset.state = { new: "connecting", disconnected: "reconnecting", failed: "reconnecting" }[state] ?? state;
    setText(this.stateLabel, words[state] ?? state);
  }
}

// --- the room ---------------------------------------------------------------------------------
class Room {
  constructor() {
    this.peers = new Map();
    this.localStream = new MediaStream();
    this.camera = null;
    this.mic = null;
    this.screen = null;
    this.iceServers = [];
    this.signaling = null;
    this.signalingState = "idle";
    this.left = false;
    this.lastBytes = null;
  }

  peerConnections() {
    return [...this.peers.values()].map((peer) => peer.pc);
  }

  outgoingTracks() {
    const video = this.screen ?? this.camera;
    return [this.mic, video].filter(Boolean);
  }

  async preview() {
    let stream = null;
    for (const constraints of [{ audio: true, video: true }, { audio: true }, { video: true }]) {
      try {
        stream = await navigator.mediaDevices.getUserMedia(constraints);
        break;
      } catch {
        // try with less
      }
    }
    if (!stream) {
      setText($("local-badges"), "· no camera or microphone: you can still see and hear the others");
      return;
    }
    this.camera = stream.getVideoTracks()[0] ?? null;
    this.mic = stream.getAudioTracks()[0] ?? null;
    for (const track of stream.getTracks()) this.localStream.addTrack(track);
    $("local-video").srcObject = this.localStream;
    $("toggle-mic").disabled = !this.mic;
    $("toggle-camera").disabled = !this.camera;
  }

  async join() {
    const button = $("join-button");
    button.disabled = true;
    showError(null);
    this.setState("joining", "Joining…");
    if (this.left) {
      // Back after Leave: the camera was released then.
      this.left = false;
      this.localStream = new MediaStream();
      this.previewReady = this.preview();
    }
    await this.previewReady; // the camera goes into the first offers
    let answer;
    try {
      answer = await api(`/api/interview/${interviewId}/join/`, { method: "POST" });
    } catch (error) {
      // Refused because it ended while the page loaded (a call declined before the caller's page was in): show
      // how it ended, as a page already in the room would.
      if (error.body?.status in CLOSED_TEXT) {
        this.closeRoom(error.body.status);
        return;
      }
      button.disabled = false;
      this.setState("error", "You are not in the call.");
      showError(error.message);
      return;
    }
    this.iceServers = answer.ice_servers ?? [];
    this.showStatus(answer.interview?.status ?? "in_progress");
    button.hidden = true;
    $("leave-button").disabled = false;
    $("share-screen").disabled = !navigator.mediaDevices?.getDisplayMedia;
    this.signaling = new Signaling(answer.signaling_url ?? `/ws/interviews/${interviewId}/`, {
      onMessage: (message) => this.onMessage(message),
      onState: (state, reason) => this.onSignalingState(state, reason),
    });
    this.signaling.start();
    this.qualityTimer = setInterval(() => this.reportQuality(), QUALITY_EVERY_MS);
  }

  send(message) {
    return this.signaling?.send(message) ?? false;
  }

  peer(userId) {
    let peer = this.peers.get(userId);
    if (!peer) {
      peer = new Peer(this, userId);
      this.peers.set(userId, peer);
    }
    return peer;
  }

  removePeer(peer) {
    if (this.peers.get(peer.userId) === peer) this.peers.delete(peer.userId);
    peer.close();
    this.showState();
  }

  onMessage(message) {
    // Hook for recording.js (and any other room module): every frame of the room socket, as an event.
    document.dispatchEvent(new CustomEvent("kazi:room-message", { detail: message }));
    switch (message.type) {
      case "peers": {
        const present = new Set(message.peers.map((entry) => entry.user_id));
        for (const peer of [...this.peers.values()]) {
          if (!present.has(peer.userId)) peer.remoteLeft();
        }
        for (const entry of message.peers) {
          const known = this.peers.has(entry.user_id);
          const peer = this.peer(entry.user_id);
          peer.gone = false;
          for (const id of entry.connection_ids ?? []) peer.connections.add(id);
          if (known) peer.nudge();
        }
        break;
      }
      case "participant_joined": {
        const known = this.peers.has(message.user_id);
        const peer = this.peer(message.user_id);
        peer.gone = false;
        if (known && !peer.connections.has(message.connection_id)) peer.nudge();
        peer.connections.add(message.connection_id);
        break;
      }
      case "participant_left":
        this.peers.get(message.user_id)?.remoteLeft();
        break;
      case "offer":
      case "answer":
      case "ice_candidate":
      case "hello":
        if (people.has(message.from)) this.peer(message.from).receive(message);
        break;
      case "room_closed":
        this.closeRoom(message.status, { serverCloses: true });
        return;
      case "connection_quality_recorded": {
        const label = $("room-quality");
        label.hidden = false;
        label.textContent = `Connection: ${message.quality}`;
        break;
      }
      case "error":
        console.warn("interview room:", message.message);
        break;
      default:
        break;
    }
    this.showState();
  }

  onSignalingState(state, reason) {
    if (root.dataset.status in CLOSED_TEXT) return; // the room is over: nothing to reconnect to
    this.signalingState = state;
    if (state === "closed") {
      this.setState("closed", reason);
      showError(reason);
      return;
    }
    this.showState();
  }

  setState(state, text) {
    const element = $("room-state");
    element.dataset.state = state;
    element.textContent = text;
  }

  showState() {
    if (this.left || this.signalingState === "closed" || this.signalingState === "idle") return;
    const peers = [...this.peers.values()];
    const connected = peers.filter((peer) => peer.pc.connectionState === "connected" && !peer.gone);
    if (this.signalingState === "reconnecting") {
      this.setState("reconnecting", connected.length ? "In the call; reconnecting to the room…" : "Reconnecting to the room…");
    } else if (this.signalingState === "connecting") {
      this.setState("connecting", "Entering the room…");
    } else if (!peers.length) {
      this.setState("waiting", "Waiting for the others to join…");
    } else if (connected.length) {
      if (IS_CALL && root.dataset.status === "scheduled") this.showStatus("in_progress"); // answered
      this.setState("connected", `In the call with ${connected.map((peer) => peer.person.name).join(", ")}`);
    } else {
      this.setState("connecting", `Connecting to ${peers.map((peer) => peer.person.name).join(", ")}…`);
    }
    $("room-alone").hidden = peers.length > 0;
  }

  toggleMic() {
    if (!this.mic) return;
    this.mic.enabled = !this.mic.enabled;
    const button = $("toggle-mic");
    button.setAttribute("aria-pressed", String(!this.mic.enabled));
    button.textContent = this.mic.enabled ? "Mute" : "Unmute";
  }

  toggleCamera() {
    if (!this.camera) return;
    this.camera.enabled = !this.camera.enabled;
    const button = $("toggle-camera");
    button.setAttribute("aria-pressed", String(!this.camera.enabled));
    button.textContent = this.camera.enabled ? "Camera off" : "Camera on";
  }

  async toggleScreen() {
    if (this.screen) {
      await this.stopSharing();
      return;
    }
    let display;
    try {
      display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch {
      return; // the person chose not to share
    }
    const track = display.getVideoTracks()[0];
    this.screen = track;
    track.onended = () => this.stopSharing(); // the browser's own "Stop sharing"
    await this.useVideo(track);
    const button = $("share-screen");
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Stop sharing";
  }

  async stopSharing() {
    const track = this.screen;
    if (!track) return;
    this.screen = null;
    track.stop();
    await this.useVideo(this.camera);
    const button = $("share-screen");
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Share screen";
  }

  /** Send `track` as our video to everyone (no renegotiation where a video sender exists). */
  async useVideo(track) {
    for (const old of this.localStream.getVideoTracks()) this.localStream.removeTrack(old);
    if (track) this.localStream.addTrack(track);
    await Promise.all([...this.peers.values()].map((peer) => (track ? peer.replaceVideo(track) : null)));
  }

  async reportQuality() {
    const peer = [...this.peers.values()].find((candidate) => candidate.pc.connectionState === "connected");
    if (!peer || !this.signaling?.open) return;
    const report = await peer.pc.getStats();
    let roundTrip = null;
    let jitter = null;
    let lost = 0;
    let received = 0;
    let bytes = 0;
    report.forEach((stat) => {
      if (stat.type === "candidate-pair" && stat.nominated && stat.currentRoundTripTime != null) {
        roundTrip = stat.currentRoundTripTime * 1000;
      }
      if (stat.type === "inbound-rtp") {
        lost += Math.max(0, stat.packetsLost ?? 0);
        received += stat.packetsReceived ?? 0;
        bytes += stat.bytesReceived ?? 0;
        if (stat.kind === "video" && stat.jitter != null) jitter = stat.jitter * 1000;
      }
    });
    const now = performance.now();
    const message = { type: "connection_quality", peer_id: peer.userId };
    if (roundTrip != null) message.round_trip_ms = roundTrip;
    if (jitter != null) message.jitter_ms = jitter;
    if (lost + received > 0) message.packet_loss_percent = (100 * lost) / (lost + received);
    if (this.lastBytes && now > this.lastBytes.at && bytes >= this.lastBytes.bytes) {
      message.bitrate_kbps = ((bytes - this.lastBytes.bytes) * 8) / (now - this.lastBytes.at);
    }
    this.lastBytes = { bytes, at: now };
    this.send(message);
  }

  async leave() {
    $("leave-button").disabled = true;
    try {
      await api(`/api/interview/${interviewId}/leave/`, { method: "POST" });
    } catch (error) {
      showError(error.message);
    }
    this.hangUp();
    this.setState("closed", "You left the interview.");
    if (!(root.dataset.status in CLOSED_TEXT)) {
      // Leaving is not the end: the interview goes on until the recruiter ends it or its slot is over.
      const join = $("join-button");
      join.textContent = "Join again";
      join.hidden = false;
      join.disabled = false;
    }
  }

  /** Drop the call on this page: socket, peer connections, camera and microphone. */
  hangUp({ serverCloses = false } = {}) {
    this.left = true;
    clearInterval(this.qualityTimer);
    if (serverCloses && this.signaling) this.signaling.stopped = true; // no reconnect; the server closes (4410)
    else this.signaling?.stop();
    for (const peer of [...this.peers.values()]) this.removePeer(peer);
    for (const track of [...this.localStream.getTracks(), this.camera, this.mic, this.screen].filter(Boolean)) {
      track.stop();
    }
    this.camera = this.mic = this.screen = null;
    for (const id of ["toggle-mic", "toggle-camera", "share-screen", "leave-button"]) $(id).disabled = true;
  }

  showStatus(status) {
    root.dataset.status = status;
    setText($("room-status"), STATUS_WORDS[status] ?? status);
    const end = $("end-button");
    if (end) end.hidden = status !== "in_progress";
  }

  /** The interview is over (ended by a recruiter, cancelled, or its slot closed): for everyone, for good. */
  closeRoom(status, { serverCloses = false } = {}) {
    this.showStatus(status);
    this.hangUp({ serverCloses });
    for (const id of ["join-button", "end-button"]) {
      if ($(id)) $(id).hidden = true;
    }
    $("room-alone").hidden = true;
    this.setState("closed", CLOSED_TEXT[status] ?? "This interview is over.");
  }

  async end() {
    if (!IS_CALL && !window.confirm("End the interview for everyone? Nobody can join it again.")) return;
    const button = $("end-button");
    button.disabled = true;
    try {
      const interview = await api(`/api/interview/${interviewId}/end/`, { method: "POST" });
      this.closeRoom(interview.status ?? "completed");
    } catch (error) {
      button.disabled = false;
      showError(error.message);
    }
  }

  /** A call's room joins by itself (the caller pressed "Video call", the callee "Accept"); the caller stops
   * ringing when nobody answered in time (a missed call). */
  startCall() {
    if (root.dataset.status in CLOSED_TEXT || $("join-button").hidden) return;
    this.join();
    const wait = Date.parse(root.dataset.ringUntil) - Date.now();
    if (root.dataset.role !== "caller" || root.dataset.status !== "scheduled" || !(wait > 0)) return;
    this.ringTimer = setTimeout(async () => {
      if (this.left || root.dataset.status !== "scheduled" || this.peers.size) return;
      try {
        await api(`/api/interview/${interviewId}/decline/`, { method: "POST" });
        this.closeRoom("cancelled");
      } catch {
        // answered meanwhile: the call goes on
      }
    }, wait);
  }

  /** A Join shown before the room opens would be refused: it appears when the room opens, goes at its end. */
  watchWindow() {
    const opens = Date.parse(root.dataset.opensAt);
    const ends = Date.parse(root.dataset.endsAt);
    const join = $("join-button");
    const now = Date.now();
    if (root.dataset.status === "scheduled" && now < opens) {
      setTimeout(() => {
        join.hidden = false;
        join.disabled = false;
        this.setState("idle", "The room is open: ready to join.");
      }, opens - now);
    }
    if (now < ends) {
      setTimeout(() => {
        if (this.signalingState === "idle" || this.left) {
          join.hidden = true;
          this.setState("closed", "The interview's time is over: it can no longer be joined.");
        }
      }, ends - now);
    }
  }
}

function showLocalTimes() {
  for (const element of root.querySelectorAll("time[data-local]")) {
    element.textContent = new Date(element.getAttribute("datetime")).toLocaleString([], {
      dateStyle: "medium",
      timeStyle: "short",
    });
  }
}

const room = new Room();
window.kaziRoom = room;
showLocalTimes();
$("join-button").addEventListener("click", () => room.join());
$("toggle-mic").addEventListener("click", () => room.toggleMic());
$("toggle-camera").addEventListener("click", () => room.toggleCamera());
$("share-screen").addEventListener("click", () => room.toggleScreen());
$("leave-button").addEventListener("click", () => room.leave());
$("end-button")?.addEventListener("click", () => room.end());
room.watchWindow();
if (IS_CALL) room.startCall();
room.previewReady = room.preview();
