/* The answer form on a phone: autosave (nothing typed is lost), conflicts shown to merge, and
 * files uploaded one by one. Without JavaScript the form still saves and submits. */
import { Autosave } from "./autosave.js";
import { startUploads } from "./uploads.js";

const form = document.getElementById("answer-form");
if (form) {
  const t = JSON.parse(document.getElementById("answer-i18n").textContent);
  new Autosave(form, t).start();
  startUploads(form, t);
}
