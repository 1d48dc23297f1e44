/* Nothing typed is lost.
 * - A draft is saved a moment after typing stops, and when the page is hidden or left.
 * - A copy stays on the device until the server has it: a dropped connection or a reload
 *   brings it back.
 * - Without a connection it tries again every few seconds, with one timer, never more.
 * - A reply that is not JSON (the session expired, the page is too old) is not "offline":
 *   trying again will not help, so the person is told to reload; the text stays on the device.
 * - A save based on an older version is refused by the server (409): see conflicts.js. */
import { showConflict } from "./conflicts.js";
import { isTextPart, setValue, values } from "./fields.js";
import { NotJson, Offline, csrfToken, postForm } from "./reply.js";

const TYPING_PAUSE_MS = 1200;
const RETRY_MS = 5000;

export class Autosave {
  constructor(form, t) {
    this.form = form;
    this.t = t;
    this.version = form.querySelector("input[name=version]");
    this.stateLine = form.querySelector(".save-state");
    this.storageKey = form.dataset.storageKey;
    this.url = form.getAttribute("action");
    this.timer = null; // the one pending save: typing pause or retry
    this.saving = false;
    this.pending = false; // changed while a save was on its way
    this.dirty = false;
    this.submitAfterSave = null;
  }

  start() {
    const { form } = this;
    form.addEventListener("input", (event) => {
      if (isTextPart(event.target)) this.changed();
    });
    form.addEventListener("change", (event) => {
      if (event.target.type === "radio") this.changed();
    });
    // Leaving the page, switching apps or locking the phone: send what is unsaved.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.flush();
    });
    window.addEventListener("pagehide", () => this.flush());
    // Submitting while a save is on its way would send an old version: wait for it.
    form.addEventListener("submit", (event) => {
      this.cancelTimer();
      if (this.saving || this.pending) {
        event.preventDefault();
        this.submitAfterSave = event.submitter;
        return;
      }
      this.forgetLocally();
      this.dirty = false;
    });
    this.restore();
  }

  say(text) {
    this.stateLine.textContent = text;
  }

  schedule(ms) {
    this.cancelTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save();
    }, ms);
  }

  cancelTimer() {
    clearTimeout(this.timer);
    this.timer = null;
  }

  keepLocally() {
    try {
      const kept = { version: this.version.value, values: values(this.form) };
      localStorage.setItem(this.storageKey, JSON.stringify(kept));
    } catch {
      // Private mode: the server save still runs.
    }
  }

  forgetLocally() {
    try {
      localStorage.removeItem(this.storageKey);
    } catch {
      // Private mode: nothing was kept.
    }
  }

  formData() {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken(this.form));
    data.append("version", this.version.value);
    for (const [name, value] of Object.entries(values(this.form))) data.append(name, value);
    return data;
  }

  changed() {
    this.dirty = true;
    this.keepLocally();
    this.say(this.t.unsaved);
    this.schedule(TYPING_PAUSE_MS);
  }

  flush() {
    if (!this.dirty) return;
    this.keepLocally();
    navigator.sendBeacon?.(this.url, this.formData());
  }

  async save() {
    if (this.saving) {
      this.pending = true;
      return;
    }
    this.saving = true;
    this.pending = false;
    this.say(this.t.saving);
    try {
      const { status, body } = await postForm(this.url, this.formData());
      if (status === 409) this.conflict(body);
      else if (status !== 200) throw new NotJson(status);
      else this.saved(body);
    } catch (error) {
      if (error instanceof Offline) {
        this.say(this.t.offline);
        this.schedule(RETRY_MS);
      } else {
        this.say(this.t.session_lost);
        this.submitAfterSave = null;
      }
    } finally {
      this.saving = false;
    }
    if (this.pending) this.save();
  }

  saved(body) {
    this.version.value = body.version;
    this.dirty = false;
    this.forgetLocally();
    this.say(body.errors?.length ? body.errors.join(" ") : `${this.t.saved} ${body.saved_at}`);
    if (this.submitAfterSave && !this.pending) {
      const submitter = this.submitAfterSave;
      this.submitAfterSave = null;
      this.form.requestSubmit(submitter);
    }
  }

  conflict(body) {
    const shown = showConflict(this.form, body, this.t, () => {
      this.changed();
      this.save();
    });
    this.version.value = body.version;
    if (shown) {
      this.say("");
      return;
    }
    // The same text saved twice (a beacon, then a reload): nothing to merge.
    this.forgetLocally();
    this.dirty = false;
    this.say(body.updated_at ? `${this.t.saved} ${body.updated_at}` : this.t.saved);
  }

  /** A copy on this device that the server never got (a dropped connection, a closed tab). */
  restore() {
    let kept = null;
    try {
      kept = JSON.parse(localStorage.getItem(this.storageKey) || "null");
    } catch {
      return; // unreadable: start from the server's text
    }
    if (!kept) return;
    const current = values(this.form);
    const differs = Object.keys(kept.values).some((name) => current[name] !== kept.values[name]);
    if (!differs) {
      this.forgetLocally();
    } else if (kept.version === this.version.value) {
      for (const [name, value] of Object.entries(kept.values)) setValue(this.form, name, value);
      this.say(this.t.restored);
      this.changed();
    } else {
      this.conflict({
        message: this.t.restored_conflict,
        version: this.version.value,
        local: kept.values,
      });
    }
  }
}
