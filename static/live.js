/* A participant's live page follows the room: when the trainer opens, closes or hides a
 * question, or the room's summary changes, the page updates within a couple of seconds
 * without a reload, and says what changed in a polite live region. The poll costs the server
 * nothing while the room is unchanged (304 from its cache). What the person is typing is kept.
 * An answer is sent without leaving the page: its card comes back with the room's summary and
 * takes the old one's place; without a connection the form posts as a plain form would. */
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

async function send(form) {
  const card = form.closest("[data-question]");
  form.querySelector("button[type=submit]")?.setAttribute("disabled", "");
  let body;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    body = await response.json(); // a login page (HTML) after a lost session throws here
  } catch {
    form.submit(); // the ordinary post: the server keeps one answer per person, so never twice
    return;
  }
  const fresh = body.html
    ? new DOMParser().parseFromString(body.html, "text/html").querySelector("[data-question]")
    : null;
  if (fresh) card.replaceWith(fresh);
  else form.querySelector("button[type=submit]")?.removeAttribute("disabled");
  const note = document.createElement("p");
  note.className = `message message-${body.ok ? "success" : "error"}`;
  note.tabIndex = -1; // the button pressed is gone: the message takes the focus
  note.textContent = body.message;
  (fresh || card).prepend(note);
  note.focus();
  announce.textContent = body.message;
}

questions?.addEventListener("submit", (event) => {
  if (!(event.target instanceof HTMLFormElement)) return;
  event.preventDefault();
  send(event.target);
});

if (questions?.dataset.pollUrl) {
  const t = JSON.parse(document.getElementById("live-i18n").textContent);
  setTimeout(() => poll(questions.dataset.etag, t), POLL_MS);
}
