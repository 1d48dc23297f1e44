/* The group's composer: photos, videos and files go ahead while the post is written
 * (resumably, with progress: resumable.js), and the post carries their ids. Post waits until
 * they have arrived. Without JavaScript the form sends the files itself. */
import { Refused, SessionLost, sendResumable, uploadItem } from "./resumable.js";

const composer = document.querySelector(".composer");
const input = composer?.querySelector("input[type=file]");
if (composer && input && window.tus) {
  const t = JSON.parse(document.getElementById("composer-i18n").textContent);
  const submit = composer.querySelector("button[type=submit]");
  const list = document.createElement("ul");
  list.className = "uploads";
  input.closest(".file-picker").after(list);
  let sending = 0;

  const settle = () => {
    submit.disabled = sending > 0;
    submit.textContent = sending > 0 ? t.waiting : t.post;
  };

  async function send(file) {
    const { item, bar, note } = uploadItem(file);
    list.append(item);
    sending += 1;
    settle();
    try {
      const id = await sendResumable(file, {
        endpoint: composer.dataset.resumableUrl,
        csrf: composer.querySelector("[name=csrfmiddlewaretoken]").value,
        onProgress: (share) => (bar.value = Math.round(100 * share)),
        onWaiting: (waiting) => (note.textContent = waiting ? t.waiting_network : ""),
      });
      const kept = document.createElement("input");
      kept.type = "hidden";
      kept.name = "uploads";
      kept.value = id;
      item.className = "upload";
      bar.value = 100;
      note.textContent = t.ready;
      item.append(kept);
    } catch (error) {
      item.className = "upload failed";
      if (error instanceof Refused) note.textContent = error.message || t.failed;
      else if (error instanceof SessionLost) note.textContent = t.session_lost;
      else throw error;
    } finally {
      sending -= 1;
      settle();
    }
  }

  input.addEventListener("change", () => {
    for (const file of input.files) send(file);
    input.value = ""; // sent ahead: the form itself does not send them again
  });
}
