/* Working without a network (polku.pwa): registers the service worker, says clearly when
 * the phone is offline and what is waiting on it to be sent, hands the worker the pages the
 * path names (the next day, open assignments) to keep, and makes it forget the kept pages
 * once nobody is logged in (a phone may be shared). */
import { outboxCount } from "./resumable.js";

const banner = document.getElementById("offline-banner");
const t = JSON.parse(document.getElementById("offline-i18n").textContent);
// "true", "false" (a login page, after logging out) or "unknown" (the offline page).
const signedIn = document.body.dataset.signedIn;

/** "1 answer" or "3 answers": Finnish and English have the same two forms. */
function counted([one, many], n) {
  return (n === 1 ? one : many).replace("%(n)s", n);
}

function draftsWaiting() {
  let drafts = 0;
  try {
    for (let i = 0; i < localStorage.length; i += 1) {
      if (localStorage.key(i).startsWith("polku-answer-")) drafts += 1;
    }
  } catch {
    // Private mode: nothing kept, nothing waiting.
  }
  return drafts;
}

async function show() {
  const offline = !navigator.onLine;
  const drafts = draftsWaiting();
  const files = await outboxCount();
  const waiting = [];
  if (drafts) waiting.push(counted(t.answers, drafts));
  if (files) waiting.push(counted(t.files, files));
  banner.querySelector(".offline-state").textContent = offline ? t.offline : t.sending;
  banner.querySelector(".offline-waiting").textContent = waiting.length
    ? `${t.waiting} ${waiting.join(", ")}.`
    : "";
  banner.hidden = !offline && !waiting.length;
}

if (banner) {
  window.addEventListener("online", show);
  window.addEventListener("offline", show);
  // Drafts and files leave the device as they are sent: look again now and then.
  setInterval(show, 5000);
  show();
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.kept !== undefined) document.body.dataset.pagesKept = event.data.kept;
  });
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      if (signedIn === "false") {
        registration.active.postMessage({ forget: true });
        return;
      }
      const keep = document.getElementById("offline-keep");
      if (keep) registration.active.postMessage({ pages: JSON.parse(keep.textContent) });
    })
    .catch(() => {}); // no worker (a private window): the pages still work online
}
