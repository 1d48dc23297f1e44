/* The projector updates by itself: a poll a second that costs nothing when the summary has not
 * changed (the server answers 304 from its cache). The next poll is timed from the end of the
 * last one, so a slow answer never has two polls in flight. */
const root = document.getElementById("projector");

async function poll(etag) {
  let next = etag;
  try {
    const response = await fetch(root.dataset.pollUrl, {
      headers: { "If-None-Match": etag },
      cache: "no-store",
    });
    if (response.status === 200) {
      const data = await response.json();
      next = response.headers.get("ETag") || etag;
      root.querySelector("[data-summary]").innerHTML = data.html;
      root.querySelector("[data-count]").textContent = data.count;
      root.querySelector("[data-waiting]").textContent = data.waiting;
      // The word after each number, in its plural form (Finnish and English: one, or other).
      for (const noun of root.querySelectorAll("[data-noun-of]")) {
        const n = data[noun.dataset.nounOf];
        noun.textContent = n === 1 ? noun.dataset.one : noun.dataset.other;
      }
      root.querySelector("[data-closed]").hidden = !data.closed;
    }
  } catch {
    // No connection or a reply that is not JSON: the screen keeps the last summary and the
    // next poll tries again.
  }
  setTimeout(() => poll(next), 1000);
}

if (root && root.dataset.pollUrl) {
  poll(root.dataset.etag);
}
