/* Someone saved first (another tab, a group mate), or this device kept text the server never
 * got: their text is shown beside ours, part by part, to merge. Nothing is overwritten. */
import { setValue, values } from "./fields.js";

function partLabel(form, name) {
  const label = form.querySelector(`label[for='${name}']`);
  if (label) return label.textContent;
  const legend = form
    .querySelector(`[name='${name}']`)
    ?.closest("fieldset")
    ?.querySelector("legend");
  return legend ? legend.textContent : "";
}

function linkButton(text, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.textContent = text;
  button.addEventListener("click", onClick);
  return button;
}

/**
 * body: {message, version, content (the server's parts by id) or local (this device's),
 * updated_by, updated_at}. Returns false when the texts are the same (nothing to merge).
 * onKeep runs when the person saves their merged version.
 */
export function showConflict(form, body, t, onKeep) {
  let mine = values(form);
  let theirs = {};
  if (body.content) {
    for (const [id, text] of Object.entries(body.content)) theirs[`part-${id}`] = text;
  }
  if (body.local) {
    theirs = values(form);
    mine = body.local;
  }
  const differing = Object.keys(theirs).filter(
    (name) => (theirs[name] || "") !== (mine[name] || ""),
  );
  if (!differing.length) return false;

  const box = form.querySelector(".conflict");
  const list = box.querySelector(".conflict-parts");
  const by = body.updated_by ? ` (${body.updated_by} ${body.updated_at})` : "";
  box.querySelector(".conflict-message").textContent = body.message + by;
  list.replaceChildren();
  for (const name of differing) {
    const item = document.createElement("div");
    item.className = "conflict-part";
    const heading = document.createElement("p");
    heading.className = "eyebrow";
    heading.textContent = partLabel(form, name);
    const other = document.createElement("blockquote");
    other.textContent = theirs[name] || "—";
    const useOther = linkButton(t.use_other, () => {
      setValue(form, name, theirs[name] || "");
      item.remove();
    });
    const addOther = linkButton(t.add_other, () => {
      setValue(form, name, (mine[name] ? `${mine[name]}\n\n` : "") + (theirs[name] || ""));
      item.remove();
    });
    item.append(heading, other, useOther, document.createTextNode(" · "), addOther);
    list.append(item);
    setValue(form, name, mine[name] || "");
  }
  box.hidden = false;
  box.querySelector(".conflict-keep").onclick = () => {
    box.hidden = true;
    onKeep();
  };
  return true;
}
