/* Files: each goes on its own, resumably and with progress (../resumable.js), then joins its
 * part of the answer. A file waits on this device until the server has it: without a
 * connection, or after a reload, it goes on by itself. A photo or video shows as soon as it is
 * stored; its picture is swapped in when the server says its renditions are ready (the file's
 * state, not a guess from the placeholder's size). */
import { NotJson, Offline, csrfToken, getJson, postForm } from "./reply.js";
import {
  Refused,
  SessionLost,
  outboxDelete,
  outboxOf,
  outboxPut,
  sendResumable,
  uploadItem,
} from "../resumable.js";

const READY_POLL_MS = 1500;
const READY_POLLS = 40; // a minute

/** Reloads the picture once the file's state is "ready"; gives up after a minute. */
export async function showWhenReady(img, url) {
  for (let attempt = 0; attempt < READY_POLLS; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    let file;
    try {
      file = await getJson(url);
    } catch (error) {
      if (error instanceof Offline) continue;
      return; // not JSON: the session ended; the placeholder stays
    }
    if (file.state === "ready") {
      img.src = `${url}?t=${Date.now()}`;
      img.removeAttribute("data-processing");
      return;
    }
    if (file.state === "failed") return;
  }
}

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.slice(0, 40);
}

function fileItem(body, alt) {
  const item = document.createElement("li");
  item.className = "upload";
  const link = document.createElement("a");
  if (body.kind === "photo" || body.kind === "video") {
    // A photo opens large; a video plays in the phone's own player (the poster shows here).
    link.href = `${body.url}?v=${body.kind === "photo" ? "full" : "video"}`;
    const img = document.createElement("img");
    img.className = "thumb";
    img.alt = alt || body.name; // the part's label: "A photo of the board", not IMG_2034.jpg
    img.src = body.url;
    link.append(img);
    if (body.state !== "ready") showWhenReady(img, body.url);
  } else {
    link.href = body.url;
    link.textContent = body.name;
  }
  item.append(link);
  return item;
}

/** Sends one file and joins it to its part. The outbox keeps `key` with the file (and, once
 * sent, the server's id for it), so after a reload it is still the same file to the server. */
function uploadOne(form, t, part, file, list, key = newKey(), sentAs = null) {
  let uploadId = sentAs;
  const { item, bar, note } = uploadItem(file);
  list.append(item);
  const record = { scope: form.dataset.storageKey, part, file, uploadId };
  outboxPut(key, record);

  function failed(message, canRetry) {
    item.className = "upload failed";
    note.textContent = message;
    if (!canRetry) return;
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link";
    retry.textContent = t.retry;
    retry.addEventListener("click", () => {
      retry.remove();
      note.textContent = "";
      item.className = "upload uploading";
      send();
    });
    item.append(retry);
  }

  async function join() {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken(form));
    data.append("part", part);
    data.append("client_key", key);
    data.append("upload", uploadId);
    const { status, body } = await postForm(form.dataset.uploadUrl, data);
    outboxDelete(key);
    if (status === 201) item.replaceWith(fileItem(body, list.dataset.label));
    else failed(body.error || t.upload_failed, false);
  }

  async function send() {
    try {
      if (!uploadId) {
        uploadId = await sendResumable(file, {
          endpoint: form.dataset.resumableUrl,
          csrf: csrfToken(form),
          onProgress: (share) => (bar.value = Math.round(100 * share)),
          onWaiting: (waiting) => (note.textContent = waiting ? t.upload_waiting : ""),
        });
        outboxPut(key, { ...record, uploadId });
      }
      bar.value = 100;
      await join();
    } catch (error) {
      if (error instanceof Refused) {
        outboxDelete(key);
        failed(error.message || t.upload_failed, false);
      } else if (error instanceof SessionLost || error instanceof NotJson) {
        failed(t.session_lost, false); // kept in the outbox: it goes on after logging in
      } else if (error instanceof Offline) {
        failed(t.upload_failed, true); // sent, but not yet joined to the answer
      } else {
        throw error;
      }
    }
  }
  send();
}

export function startUploads(form, t) {
  for (const input of form.querySelectorAll("input[type=file]")) {
    input.addEventListener("change", () => {
      const list = form.querySelector(`.uploads[data-part='${input.dataset.part}']`);
      for (const file of input.files) uploadOne(form, t, input.dataset.part, file, list);
      input.value = ""; // the files went one by one; the form itself will not send them again
    });
  }
  for (const img of document.querySelectorAll("img[data-processing]")) {
    showWhenReady(img, img.getAttribute("src"));
  }
  // Files this device still owes the server (chosen offline, or the page was closed).
  outboxOf(form.dataset.storageKey).then((owed) => {
    for (const [key, record] of owed) {
      const list = form.querySelector(`.uploads[data-part='${record.part}']`);
      if (list) uploadOne(form, t, record.part, record.file, list, key, record.uploadId);
      else outboxDelete(key); // the trainer removed the part
    }
  });
}
