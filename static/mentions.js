/* @mentions while typing: after "@" and a letter or two, the group's members whose names
 * match are offered in a list under the text box (an ARIA combobox: arrow keys choose, Enter
 * or a tap inserts "@Name ", Escape closes; the text box points at the list with
 * aria-controls and at the chosen name with aria-activedescendant). The names come with the
 * page. */
const people = JSON.parse(document.getElementById("mention-people")?.textContent || "[]");
const MAX_SHOWN = 5;
let open = null; // {box, list, matches, active, start}

function close() {
  if (!open) return;
  open.list.remove();
  open.box.removeAttribute("aria-activedescendant");
  open.box.removeAttribute("aria-controls");
  open = null;
}

function choose(index) {
  const { box, matches, start } = open;
  const before = box.value.slice(0, start);
  const after = box.value.slice(box.selectionStart);
  const insert = `@${matches[index].handle} `;
  box.value = before + insert + after;
  const caret = before.length + insert.length;
  box.setSelectionRange(caret, caret);
  close();
  box.focus();
}

function highlight(index) {
  open.active = index;
  open.list.querySelectorAll("[role=option]").forEach((option, i) => {
    option.setAttribute("aria-selected", String(i === index));
  });
  open.box.setAttribute("aria-activedescendant", `${open.list.id}-${index}`);
}

function offer(box) {
  const typed = box.value.slice(0, box.selectionStart).match(/(?:^|\s)@([\p{L}.-]{1,30})$/u);
  if (!typed) return close();
  const prefix = typed[1].toLowerCase();
  const matches = people
    .filter(
      (p) => p.handle.toLowerCase().startsWith(prefix) || p.name.toLowerCase().startsWith(prefix),
    )
    .slice(0, MAX_SHOWN);
  if (!matches.length) return close();
  close();
  const list = document.createElement("ul");
  list.id = `${box.id || "box"}-mentions`;
  list.className = "mention-list card";
  list.setAttribute("role", "listbox");
  matches.forEach((person, index) => {
    const option = document.createElement("li");
    option.id = `${list.id}-${index}`;
    option.setAttribute("role", "option");
    option.textContent = person.name;
    option.addEventListener("mousedown", (event) => {
      event.preventDefault(); // keep the focus in the text box
      choose(index);
    });
    list.append(option);
  });
  box.after(list);
  box.setAttribute("aria-controls", list.id);
  open = { box, list, matches, active: 0, start: box.selectionStart - typed[1].length - 1 };
  highlight(0);
}

document.addEventListener("input", (event) => {
  if (event.target.matches("textarea[data-mentions]")) offer(event.target);
});
document.addEventListener("keydown", (event) => {
  if (!open || event.target !== open.box) return;
  const count = open.matches.length;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    highlight((open.active + (event.key === "ArrowDown" ? 1 : count - 1)) % count);
  } else if (event.key === "Enter" || event.key === "Tab") {
    event.preventDefault();
    choose(open.active);
  } else if (event.key === "Escape") {
    close();
  }
});
document.addEventListener("focusout", (event) => {
  if (open && event.target === open.box) close();
});
