/* Files sent resumably over tus (tus-js-client, static/vendor/): in pieces of a few
 * megabytes, and a dropped connection, a server restart or a reload goes on from the last
 * piece the server has. A file chosen without a connection waits in this device's outbox
 * (IndexedDB: it holds files, localStorage does not) and goes when the network returns, even
 * after the page was closed and opened again. */
import { createStore, del, entries, set } from "./vendor/idb-keyval-6.3.0.js";

// A piece a phone sends in seconds on a mobile network (POLKU_RESUMABLE_PIECE_BYTES).
const PIECE =
  Number(document.querySelector("meta[name=polku-upload-piece]")?.content) || 8 * 1024 * 1024;
const SERVER_RETRY_MS = 15000;

/** The server refused the file: its reason, in the person's language. Retrying won't help. */
export class Refused extends Error {}
/** The reply was a login page or a CSRF refusal: the person must reload. */
export class SessionLost extends Error {}

let outbox = null;
function store() {
  outbox = outbox || createStore("polku-outbox", "files");
  return outbox;
}

/** Keeps a file on this device until the server has it. A private window may refuse. */
export function outboxPut(key, record) {
  return set(key, record, store()).catch(() => {});
}

export function outboxDelete(key) {
  return del(key, store()).catch(() => {});
}

/** How many files this device still owes the server, for every page. */
export async function outboxCount() {
  try {
    return (await entries(store())).length;
  } catch {
    return 0;
  }
}

/** The files this device still owes the server for one page, as [key, record]. */
export async function outboxOf(scope) {
  try {
    return (await entries(store())).filter(([, record]) => record.scope === scope);
  } catch {
    return [];
  }
}

/** A file's line while it is sent: its name, a progress bar and a note read out when it
 * changes (no connection, refused). Returns {item, bar, note}. */
export function uploadItem(file) {
  const item = document.createElement("li");
  item.className = "upload uploading";
  const name = document.createElement("span");
  name.textContent = file.name;
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  const note = document.createElement("span");
  note.className = "meta";
  note.setAttribute("aria-live", "polite");
  item.append(name, bar, note);
  return { item, bar, note };
}

/**
 * Sends a file; resolves with the server's id for the finished upload. Rejects with Refused
 * or SessionLost. Without a connection it waits (onWaiting(true)) and goes on by itself.
 */
export function sendResumable(file, { endpoint, csrf, onProgress, onWaiting }) {
  return new Promise((resolve, reject) => {
    const upload = new window.tus.Upload(file, {
      endpoint,
      chunkSize: PIECE,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata: { filename: file.name || "file", filetype: file.type || "" },
      headers: { "X-CSRFToken": csrf },
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => onProgress(total ? sent / total : 0),
      onSuccess: () => resolve(upload.url.split("/").filter(Boolean).pop()),
      onError: (error) => {
        const response = error.originalResponse;
        const status = response ? response.getStatus() : 0;
        if (!status || status >= 500) {
          // No connection, or the server is restarting: go on when it is back.
          onWaiting(true);
          const resume = () => {
            onWaiting(false);
            upload.start();
          };
          if (navigator.onLine) setTimeout(resume, SERVER_RETRY_MS);
          else window.addEventListener("online", resume, { once: true });
          return;
        }
        const type = response.getHeader("Content-Type") || "";
        if (type.startsWith("text/plain")) reject(new Refused(response.getBody()));
        else reject(new SessionLost());
      },
    });
    // The same file chosen again, or restored from the outbox: go on where it stopped.
    upload
      .findPreviousUploads()
      .then((previous) => {
        if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      })
      .finally(() => upload.start());
  });
}
