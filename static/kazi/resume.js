// Resume upload with a live progress bar fed by `resume_progress` frames.
import { api, upload } from "./api.js";
import { realtime } from "./app.js";
import { h, label, timeElement } from "./dom.js";

const form = document.getElementById("resume-form");
const fileInput = document.getElementById("resume-file");
const error = document.getElementById("resume-error");
const block = document.getElementById("resume-progress");
const bar = document.getElementById("resume-bar");
const step = document.getElementById("resume-step");
const percent = document.getElementById("resume-percent");
const state = document.getElementById("resume-state");
const list = document.getElementById("resume-list");

let watching = null; // the document id whose progress is shown
let finished = false;

function show({ status, progress, current_step: currentStep, error: failure }) {
  bar.value = progress;
  bar.setAttribute("aria-valuetext", `${progress}%`);
  percent.textContent = `${progress}%`;
  state.textContent = label(status);
  block.dataset.status = status;
  step.textContent = failure ? `Failed: ${failure}` : currentStep || label(status);
  finished = status === "completed" || status === "failed";
  if (finished) {
    realtime.send({ type: "unwatch_resume", resume_id: watching });
    if (status === "completed") step.textContent = "Done: your resume has been read.";
    loadList();
  }
}

function watch() {
  // Per socket: sent again after every reconnect. A resume that has moved on answers at once.
  if (watching && !finished) realtime.send({ type: "watch_resume", resume_id: watching });
}

realtime.on("open", async () => {
  if (!watching || finished) return;
  watch();
  // Also catch up over REST, in case the parse moved on while the socket was down.
  const doc = await api(`/api/documents/${watching}/`).catch(() => null);
  if (doc && doc.status !== "uploaded") show(doc);
});

realtime.on("resume_progress", (frame) => {
  if (frame.resume_id === watching) show(frame.data);
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const file = fileInput.files[0];
  if (!file) {
    error.textContent = "Choose a PDF, DOC or DOCX file first.";
    return;
  }
  const data = new FormData();
  data.set("file", file);
  data.set("document_type", "resume");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  block.hidden = false;
  bar.removeAttribute("value"); // indeterminate while the bytes travel
  percent.textContent = "";
  state.textContent = "uploading";
  step.textContent = "Uploading…";
  try {
    const doc = await upload("/api/documents/", data, (fraction) => {
      step.textContent = `Uploading… ${Math.round(fraction * 100)}%`;
    });
    watching = doc.id;
    finished = false;
    show({ ...doc, current_step: doc.current_step || "Waiting for processing" });
    watch();
    loadList();
  } catch (failure) {
    block.hidden = true;
    error.textContent = failure.message;
  } finally {
    button.disabled = false;
  }
});

async function loadList() {
  try {
    const data = await api("/api/documents/?document_type=resume&page_size=20");
    list.replaceChildren(
      ...(data.results.length
        ? data.results.map((doc) =>
            h(
              "li",
              { class: "doc", dataset: { documentId: doc.id } },
              h("a", { href: doc.download_url }, doc.original_name),
              h("span", { class: `status status-${doc.status}` }, label(doc.status)),
              h("span", { class: "muted small" }, "Uploaded ", timeElement(doc.created_at)),
            ),
          )
        : [h("li", { class: "muted" }, "No resume uploaded yet.")]),
    );
  } catch (failure) {
    list.replaceChildren(h("li", { class: "field-error" }, `Could not load your resumes: ${failure.message}`));
  }
}

loadList();
