/* Files: each uploads on its own, with progress. A failed one can be tried again with the
 * same key, so the server keeps it once. A photo shows as soon as it is stored; its picture is
 * swapped in when the server says its renditions are ready (the file's state, not a guess
 * from the placeholder's size). */
import { NotJson, Offline, csrfToken, getJson, parseReply } from "./reply.js";

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
  if (body.kind === "photo") {
    link.href = `${body.url}?v=full`;
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

function uploadOne(form, t, part, file, list) {
  const key = newKey();
  const item = document.createElement("li");
  item.className = "upload uploading";
  const name = document.createElement("span");
  name.textContent = file.name;
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  const note = document.createElement("span");
  note.className = "meta";
  item.append(name, bar, note);
  list.append(item);

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

  function send() {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken(form));
    data.append("part", part);
    data.append("client_key", key);
    data.append("file", file);
    // XMLHttpRequest, not fetch: only it reports upload progress.
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.uploadUrl);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) bar.value = Math.round((100 * event.loaded) / event.total);
    };
    xhr.onload = () => {
      let body;
      try {
        body = parseReply(xhr.status, xhr.responseText);
      } catch (error) {
        if (error instanceof NotJson) failed(t.session_lost, false);
        return;
      }
      if (xhr.status === 201) item.replaceWith(fileItem(body, list.dataset.label));
      else failed(body.error || t.upload_failed, xhr.status >= 500);
    };
    xhr.onerror = () => failed(t.upload_failed, true); // no connection
    xhr.send(data);
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
}
