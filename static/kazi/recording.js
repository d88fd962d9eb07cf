// Recording the interview call from the room page (/interview/{id}/), for the job's recruiters; the
// "Recording" indicator for everyone in the room.
//
// The recruiter's browser records what the call looks and sounds like: a canvas draws every video of the
// room side by side (own camera on the left, the others on the right) and Web Audio mixes every
// microphone, and one MediaRecorder turns both into WebM. It hands over a chunk every second; each is
// uploaded in order with its sequence number (POST /api/interview/{id}/recordings/{rid}/chunks/{n}/,
// idempotent per number), and retried with backoff when the network drops, so a closed tab loses at
// most the chunk in flight. The server assembles the file when the recording stops, or, when the tab went
// away, once chunks stop coming.
//
// It reads the room from `window.kaziRoom` (interview-room.js: `localStream`, `peers` with `video` and
// `remoteStream`) and hears the room socket's frames through the `kazi:room-message` event that page
// dispatches: `recording_started` / `recording_stopped` (docs/websocket-protocol.md), `peers` on every
// (re)connect, after which it asks the server for the current state again.
import { api, csrfToken } from "./api.js";

const root = document.getElementById("interview-room");
const interviewId = root.dataset.interviewId;
const base = `/api/interview/${interviewId}/recordings/`;
const $ = (id) => document.getElementById(id);

const TIMESLICE_MS = 1000;
// 15 frames a second of 960×360 (two 480×360 halves): software VP8 keeps up with it on a busy laptop; at
// 1280×480 and 25 fps on two loaded cores the encoder fell seconds behind, and what it holds back is what a
// closed tab loses.
const FRAME_MS = 66;
const WIDTH = 960;
const HEIGHT = 360;
const VIDEO_BITS_PER_SECOND = 1_000_000;
const RETRY_MAX_MS = 10_000;
const DRAIN_TIMEOUT_MS = 15_000;
const HEADER_BYTES = 64; // interviews/recording_files.py reads the DocType within the first 64 bytes

// --- the mixed picture and sound --------------------------------------------------------------------
class Mixer {
  constructor(room) {
    this.room = room;
    this.canvas = document.createElement("canvas");
    this.canvas.width = WIDTH;
    this.canvas.height = HEIGHT;
    this.context = this.canvas.getContext("2d");
    this.audio = new AudioContext();
    this.destination = this.audio.createMediaStreamDestination();
    this.mixedTracks = new Set();
    this.timer = null;
  }

  start() {
    this.draw();
    this.timer = setInterval(() => {
      this.draw();
      this.mixAudio();
    }, FRAME_MS);
    this.mixAudio();
    const video = this.canvas.captureStream(1000 / FRAME_MS).getVideoTracks()[0];
    return new MediaStream([video, ...this.destination.stream.getAudioTracks()]);
  }

  videos() {
    const remotes = [...this.room.peers.values()].filter((peer) => !peer.gone).map((peer) => peer.video);
    return [$("local-video"), ...remotes].filter(Boolean);
  }

  draw() {
    const g = this.context;
    g.fillStyle = "#111";
    g.fillRect(0, 0, WIDTH, HEIGHT);
    const videos = this.videos();
    const width = WIDTH / Math.max(videos.length, 1);
    videos.forEach((video, index) => {
      if (video.readyState < 2 || !video.videoWidth) return;
      // Fit inside its slot, keeping the aspect ratio.
      const scale = Math.min(width / video.videoWidth, HEIGHT / video.videoHeight);
      const w = video.videoWidth * scale;
      const h = video.videoHeight * scale;
      g.drawImage(video, index * width + (width - w) / 2, (HEIGHT - h) / 2, w, h);
    });
  }

  /** Every audio track in the room into the one mix; peers that arrive later are added as they come. */
  mixAudio() {
    const streams = [this.room.localStream, ...[...this.room.peers.values()].map((peer) => peer.remoteStream)];
    for (const stream of streams.filter(Boolean)) {
      for (const track of stream.getAudioTracks()) {
        if (this.mixedTracks.has(track.id) || track.readyState !== "live") continue;
        this.mixedTracks.add(track.id);
        this.audio.createMediaStreamSource(new MediaStream([track])).connect(this.destination);
      }
    }
  }

  stop() {
    clearInterval(this.timer);
    this.audio.close().catch(() => {});
  }
}

// --- uploads in order, retried -------------------------------------------------------------------------
class Uploader {
  constructor(recordingId, { onProgress, onRefused }) {
    this.path = `${base}${recordingId}/chunks/`;
    this.queue = [];
    this.sequence = 0;
    this.busy = false;
    this.uploaded = 0;
    this.bytes = 0;
    this.delay = 500;
    this.closed = false;
    this.onProgress = onProgress;
    this.onRefused = onRefused;
    this.drained = [];
    this.head = [];
    this.retries = 0;
    this.sent = []; // [sequence, bytes, page time in ms] of each uploaded chunk, for the curious and for tests
    this.onOnline = () => this.pump();
    window.addEventListener("online", this.onOnline);
  }

  add(blob) {
    // The first blobs can cut the WebM header short (one byte was seen): chunk 0 waits until it holds the
    // whole header, which the server checks.
    if (this.sequence === 0) {
      this.head.push(blob);
      if (this.head.reduce((total, part) => total + part.size, 0) < HEADER_BYTES) return;
      blob = new Blob(this.head, { type: blob.type });
      this.head = [];
    }
    this.queue.push({ sequence: this.sequence++, blob });
    this.pump();
  }

  /** After the recorder's last blob: send a short first chunk as it is. */
  flush() {
    if (!this.head.length) return;
    this.queue.push({ sequence: this.sequence++, blob: new Blob(this.head) });
    this.head = [];
    this.pump();
  }

  async send(item) {
    const response = await fetch(`${this.path}${item.sequence}/`, {
      method: "POST",
      headers: { "Content-Type": "video/webm", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: item.blob,
      credentials: "same-origin",
    });
    if (response.ok) return "ok";
    // Worth trying again: the server or the network is having a moment (or a rate limit).
    if (response.status >= 500 || response.status === 429 || response.status === 408) return "retry";
    const body = await response.json().catch(() => ({}));
    return { status: response.status, detail: body.detail ?? `The server answered ${response.status}.` };
  }

  async pump() {
    if (this.busy || this.closed) return;
    this.busy = true;
    while (this.queue.length && !this.closed) {
      let outcome;
      try {
        outcome = await this.send(this.queue[0]);
      } catch {
        outcome = "retry"; // offline, or the connection dropped mid-upload
      }
      if (outcome === "ok") {
        const item = this.queue.shift();
        this.sent.push([item.sequence, item.blob.size, Math.round(performance.now())]);
        this.uploaded += 1;
        this.bytes += item.blob.size;
        this.delay = 500;
        this.onProgress?.(this);
      } else if (outcome === "retry") {
        this.retries += 1;
        this.onProgress?.(this, "retrying");
        await new Promise((resolve) => setTimeout(resolve, this.delay));
        this.delay = Math.min(this.delay * 2, RETRY_MAX_MS);
      } else {
        this.close();
        this.onRefused?.(outcome);
      }
    }
    this.busy = false;
    if (!this.queue.length) for (const resolve of this.drained.splice(0)) resolve(true);
  }

  /** Resolves once every chunk so far is uploaded (true), or after `timeout` ms (false). */
  drain(timeout = DRAIN_TIMEOUT_MS) {
    if (!this.queue.length && !this.busy) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.drained.push(resolve);
      setTimeout(() => resolve(false), timeout);
    });
  }

  close() {
    this.closed = true;
    window.removeEventListener("online", this.onOnline);
  }
}

// --- the recording control and indicator ------------------------------------------------------------------
class RecordingPanel {
  constructor() {
    this.state = null; // the server's list answer
    this.active = null; // the running recording, whoever records it
    this.session = null; // {recording, mixer, recorder, uploader, startedAt} while this page records
    this.busy = false;
    $("recording-start").addEventListener("click", () => this.start());
    $("recording-stop").addEventListener("click", () => this.stop());
    document.addEventListener("kazi:room-message", (event) => this.onMessage(event.detail));
    this.refresh();
  }

  async refresh() {
    try {
      this.state = await api(base);
    } catch (error) {
      this.say(`Recording state unavailable: ${error.message}`);
      return;
    }
    this.active = this.state.active;
    this.render();
  }

  onMessage(message) {
    if (message.type === "recording_started") {
      this.active = { id: Number(message.recording_id), started_by: message.started_by };
      this.render();
    } else if (message.type === "recording_stopped") {
      if (this.session && String(this.session.recording.id) === message.recording_id) {
        // Someone else stopped it (or the server gave up on it): our chunks are no longer taken.
        this.finishLocally("The recording was stopped.");
      }
      this.active = null;
      this.render();
      this.refresh();
    } else if (message.type === "peers") {
      this.joined = true;
      this.refresh(); // after a reconnect: a frame may have been missed
    }
  }

  render() {
    const enabled = this.state?.recording_enabled;
    const canRecord = this.state?.can_record && enabled;
    const on = Boolean(this.active);
    $("recording-area").hidden = !enabled && !this.state?.results?.length;
    $("recording-indicator").hidden = !on;
    $("recording-area").dataset.recording = on ? "on" : "off";
    const who = this.active?.started_by?.name;
    $("recording-indicator").textContent = on ? `● Recording${who ? ` (started by ${who})` : ""}` : "";
    $("recording-start").hidden = !canRecord || on;
    $("recording-start").disabled = this.busy || !this.joined;
    $("recording-stop").hidden = !canRecord || !on;
    $("recording-stop").disabled = this.busy;
    const count = this.state?.results?.filter((r) => r.status !== "recording").length ?? 0;
    const list = $("recording-list");
    if (count && this.state.can_record) {
      list.hidden = false;
      list.querySelector("a").textContent = `Recordings of this interview (${count})`;
    } else if (count) {
      list.hidden = false;
      list.textContent = `This interview has ${count} recording${count > 1 ? "s" : ""}, kept by the company.`;
    } else {
      list.hidden = true;
    }
    if (!enabled) this.say("");
    else if (on && !this.session && !this.busy) this.say("This call is being recorded.");
    else if (!on && !canRecord) this.say("This interview may be recorded by the recruiter.");
    else if (!on && !this.busy && !this.joined) this.say("Join the call to record it.");
  }

  say(text) {
    $("recording-status").textContent = text;
  }

  async start() {
    const room = window.kaziRoom;
    if (!room || this.session) return;
    this.busy = true;
    this.render();
    let recording;
    try {
      recording = await api(base, { method: "POST" });
    } catch (error) {
      this.busy = false;
      this.say(error.message);
      this.render();
      return;
    }
    const mixer = new Mixer(room);
    const stream = mixer.start();
    const type = ["video/webm;codecs=vp8,opus", "video/webm"].find((t) => MediaRecorder.isTypeSupported(t));
    const options = { videoBitsPerSecond: VIDEO_BITS_PER_SECOND, ...(type ? { mimeType: type } : {}) };
    const recorder = new MediaRecorder(stream, options);
    const uploader = new Uploader(recording.id, {
      onProgress: (u, note) => this.showProgress(u, note),
      onRefused: (outcome) => this.finishLocally(`The recording stopped: ${outcome.detail}`),
    });
    recorder.addEventListener("dataavailable", (event) => {
      if (event.data.size > 0) uploader.add(event.data);
    });
    this.session = { recording, mixer, recorder, uploader, startedAt: Date.now() };
    window.kaziRecording = this.session; // tests and the curious read it
    recorder.start(TIMESLICE_MS);
    this.active = recording;
    this.busy = false;
    this.say("Recording…");
    this.render();
  }

  showProgress(uploader, note) {
    if (!this.session) return;
    const seconds = Math.round((Date.now() - this.session.startedAt) / 1000);
    const megabytes = (uploader.bytes / 1e6).toFixed(1);
    const retrying = note === "retrying" ? " · connection lost, retrying the upload…" : "";
    this.say(`Recording… ${seconds} s, ${uploader.uploaded} parts (${megabytes} MB) uploaded${retrying}`);
  }

  async stop() {
    this.busy = true;
    this.render();
    const session = this.session;
    const recordingId = session?.recording.id ?? this.active?.id;
    if (session) {
      this.say("Stopping: uploading the last part…");
      await this.stopRecorder(session);
      session.uploader.flush();
      const complete = await session.uploader.drain();
      if (!complete) this.say("The last parts did not upload in time; the recording keeps what arrived.");
      this.finishLocally(null);
    }
    try {
      if (recordingId) await api(`${base}${recordingId}/stop/`, { method: "POST" });
      this.say("Recording stopped. It is being saved.");
    } catch (error) {
      this.say(error.message);
    }
    this.busy = false;
    this.active = null;
    await this.refresh();
  }

  stopRecorder(session) {
    if (session.recorder.state === "inactive") return Promise.resolve();
    return new Promise((resolve) => {
      // The last `dataavailable` comes before `stop`.
      session.recorder.addEventListener("stop", () => resolve(), { once: true });
      session.recorder.stop();
    });
  }

  /** Stop recording on this page without asking the server (it already knows, or refused us). */
  finishLocally(message) {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.lastUploads = { sent: session.uploader.sent, retries: session.uploader.retries };
    if (session.recorder.state !== "inactive") session.recorder.stop();
    session.mixer.stop();
    session.uploader.close();
    if (message) this.say(message);
  }
}

if ($("recording-area")) window.kaziRecordingPanel = new RecordingPanel();
