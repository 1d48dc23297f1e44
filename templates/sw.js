/* Polku's service worker (polku.pwa): the participant's pages readable without a network.
 * Pages go to the network first and are kept when they say so (a header), so what is read
 * offline is what was last seen online; scripts and styles come from the cache, by their
 * hashed names. Answers typed offline are kept and sent by the page itself (autosave.js),
 * files by resumable.js: this worker never sends anything. */
const VERSION = "__VERSION__";
const SHELL = `polku-shell-${VERSION}`;
const PAGES = "polku-pages";
const ASSETS = {{ assets|safe }};
const OFFLINE = {{ offline_url|safe }};
const KEEP_HEADER = {{ header|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll([...ASSETS, OFFLINE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("polku-shell-") && name !== SHELL)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function keep(request, response) {
  if (response.ok && !response.redirected && response.headers.get(KEEP_HEADER) === "keep") {
    // The whole page first, then the copy: a page cut off by a lost connection is never
    // stored over the one kept before.
    const body = await response.blob();
    const { status, statusText, headers } = response;
    const cache = await caches.open(PAGES);
    await cache.put(request, new Response(body, { status, statusText, headers }));
  }
}

async function networkFirst(event) {
  const { request } = event;
  try {
    const response = await fetch(request);
    // The worker may be stopped once the page has its answer: it waits for the copy too.
    event.waitUntil(keep(request, response.clone()));
    return response;
  } catch {
    const kept = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
    return kept || (await caches.match(OFFLINE));
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event));
  }
});

// From the pages (offline.js): pages to keep before they are opened (the path names the next
// day and the open assignments), or forget every kept page (logged out). One at a time, in
// the order they came: a "forget" must never run alongside a "keep" and leave its pages.
let messages = Promise.resolve();

function keepPages(pages) {
  return Promise.all(
    pages.map((page) =>
      fetch(page, { credentials: "same-origin" })
        .then((response) => keep(new Request(page), response))
        .catch(() => null),
    ),
  );
}

self.addEventListener("message", (event) => {
  const { pages, forget } = event.data || {};
  if (forget) {
    messages = messages.then(() => caches.delete(PAGES)).catch(() => null);
  } else if (Array.isArray(pages)) {
    // The page hears when its pages are kept (offline.js marks it, tests wait for it).
    messages = messages
      .then(() => keepPages(pages))
      .then(() => event.source?.postMessage({ kept: pages.length }))
      .catch(() => null);
  } else {
    return;
  }
  event.waitUntil(messages);
});
