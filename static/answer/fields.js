/* The answer's text parts as name -> value: textareas, and radio groups (scale, choice). */

function textFields(form) {
  return [...form.elements].filter((el) => el.name && el.name.startsWith("part-"));
}

export function values(form) {
  const out = {};
  for (const el of textFields(form)) {
    if (el.type !== "radio" || el.checked) out[el.name] = el.value;
    else if (!(el.name in out)) out[el.name] = "";
  }
  return out;
}

export function setValue(form, name, value) {
  for (const el of textFields(form)) {
    if (el.name !== name) continue;
    if (el.type === "radio") el.checked = el.value === value;
    else el.value = value;
  }
}

export function isTextPart(el) {
  return Boolean(el.name && el.name.startsWith("part-"));
}
