/* A participant's live page follows the room: when the trainer opens, closes or hides a
 * question, or the room's summary changes, the page updates within a couple of seconds
 * without a reload, and says what changed in a polite live region. The poll costs the server
 * nothing while the room is unchanged (304 from its cache). What the person is typing is kept. */
const questions = document.getElementById("live-questions");
const announce = document.querySelector("[data-live-announce]");
const POLL_MS = 1500;

function openQuestions(root) {
  return new Map(
    [...root.querySelectorAll("[data-question][data-open='true']")].map((el) => [
      el.dataset.question,
      el.dataset.prompt,
    ]),
  );
}

function typed(root) {
  const values = new Map();
  for (const field of root.querySelectorAll("textarea, input[type=text]")) {
    if (field.value !== field.defaultValue) values.set(field.id, field.value);
  }
  return values;
}

async function refresh(t) {
  const response = await fetch(window.location.href, { credentials: "same-origin" });
  if (!response.ok) return false;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("live-questions");
  if (!fresh) return false; // logged out: a login page came back
  const before = openQuestions(questions);
  const keep = typed(questions);
  const focused = document.activeElement?.id;
  questions.replaceChildren(...fresh.childNodes);
  for (const [id, value] of keep) {
    const field = document.getElementById(id);
    if (field) field.value = value;
  }
  if (focused) document.getElementById(focused)?.focus();
  const after = openQuestions(questions);
  const opened = [...after].filter(([id]) => !before.has(id));
  const closed = [...before.keys()].filter((id) => !after.has(id));
  if (opened.length) announce.textContent = `${t.opened} ${opened.map(([, p]) => p).join(", ")}`;
  else if (closed.length) announce.textContent = t.closed;
  else announce.textContent = t.changed;
  return true;
}

async function poll(etag, t) {
  let next = etag;
  try {
    const response = await fetch(questions.dataset.pollUrl, {
      headers: { "If-None-Match": etag },
      cache: "no-store",
    });
    if (response.status === 200) {
      const version = response.headers.get("ETag");
      if (version && version !== etag && (await refresh(t))) next = version;
    }
  } catch {
    // No connection: the page keeps what it shows and the next poll tries again.
  }
  setTimeout(() => poll(next, t), POLL_MS);
}

if (questions?.dataset.pollUrl) {
  const t = JSON.parse(document.getElementById("live-i18n").textContent);
  setTimeout(() => poll(questions.dataset.etag, t), POLL_MS);
}
