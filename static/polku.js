// Small behaviours every page may use, kept out of the HTML so that the
// Content-Security-Policy can forbid inline script entirely.
"use strict";

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-back]")) {
    history.back();
    return;
  }
  const print = event.target.closest("[data-print]");
  if (print) {
    window.print();
    return;
  }
  // A coaching prompt button adds its question to the comment box it names.
  const prompt = event.target.closest("[data-prompt]");
  if (prompt) {
    const box = document.getElementById(prompt.dataset.promptTarget || "comment-body");
    if (box) {
      box.value = (box.value ? `${box.value}\n` : "") + prompt.dataset.prompt;
      box.focus();
    }
  }
});

// A file picker says which files were chosen (its input is hidden behind a large label).
document.addEventListener("change", (event) => {
  const input = event.target.closest(".file-input");
  const chosen = input?.parentElement.querySelector(".file-chosen");
  if (chosen) chosen.textContent = [...input.files].map((file) => file.name).join(", ");
});
