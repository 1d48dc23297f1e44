/* Talking to the server, with the two ways it can fail told apart: no connection (try again
 * by itself later) and a reply that is not JSON, such as a login page after the session
 * expired or a CSRF refusal (trying again will not help: the person must reload). */

export class Offline extends Error {}

export class NotJson extends Error {
  constructor(status) {
    super(`HTTP ${status}: not JSON`);
    this.status = status;
  }
}

/** The reply's JSON, or NotJson. A redirect to the login page arrives as HTML. */
export function parseReply(status, text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new NotJson(status);
  }
}

/** POSTs form data; resolves to {status, body}. Throws Offline or NotJson. */
export async function postForm(url, data) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual", // an expired session answers with a redirect to log in
    });
  } catch {
    throw new Offline();
  }
  if (response.type === "opaqueredirect") throw new NotJson(302);
  return { status: response.status, body: parseReply(response.status, await response.text()) };
}

/** GETs JSON; resolves to the body. Throws Offline or NotJson. */
export async function getJson(url) {
  let response;
  try {
    response = await fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new Offline();
  }
  return parseReply(response.status, await response.text());
}

export function csrfToken(form) {
  return form.querySelector("[name=csrfmiddlewaretoken]").value;
}
