/* The answer form on a phone: nothing typed is lost.
 * - Saves a draft a moment after typing stops, and when the page is hidden or left.
 * - Keeps a copy on the device until the server has it: a dropped connection or a reload
 *   brings it back.
 * - A save based on an older version is refused by the server (409): the newer text is shown
 *   beside yours to merge; nothing is overwritten silently.
 * - Each file uploads on its own with progress; a failed one can be retried, with the same key,
 *   so the server keeps it once. */
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form) return;
  var t = JSON.parse(document.getElementById("answer-i18n").textContent);
  var versionInput = form.querySelector("input[name=version]");
  var stateLine = form.querySelector(".save-state");
  var storageKey = form.dataset.storageKey;
  // Not form.action: the buttons are named "action", and a control's name shadows the property.
  var saveUrl = form.getAttribute("action");
  var timer = null,
    saving = false,
    pending = false,
    dirty = false,
    submitAfterSave = null;

  function textFields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name.indexOf("part-") === 0;
    });
  }
  function values() {
    var out = {};
    textFields().forEach(function (el) {
      if ((el.type === "radio" && el.checked) || el.type !== "radio") out[el.name] = el.value;
      else if (!(el.name in out)) out[el.name] = "";
    });
    return out;
  }
  function setValue(name, value) {
    textFields().forEach(function (el) {
      if (el.name !== name) return;
      if (el.type === "radio") el.checked = el.value === value;
      else el.value = value;
    });
  }
  function keepLocally() {
    try {
      localStorage.setItem(
        storageKey,
        JSON.stringify({ version: versionInput.value, values: values() }),
      );
    } catch {
      /* private mode: the server save still runs */
    }
  }
  function forgetLocally() {
    try {
      localStorage.removeItem(storageKey);
    } catch {
      /* private mode: nothing kept */
    }
  }
  function say(text) {
    stateLine.textContent = text;
  }

  function formData(action) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("version", versionInput.value);
    data.append("action", action);
    var current = values();
    Object.keys(current).forEach(function (name) {
      data.append(name, current[name]);
    });
    return data;
  }

  function save() {
    if (saving) {
      pending = true;
      return;
    }
    saving = true;
    pending = false;
    say(t.saving);
    fetch(saveUrl, {
      method: "POST",
      body: formData("autosave"),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (result) {
        if (result.status === 409) {
          showConflict(result.body);
          return;
        }
        if (result.status !== 200) throw new Error("HTTP " + result.status);
        versionInput.value = result.body.version;
        dirty = false;
        forgetLocally();
        say(t.saved + " " + result.body.saved_at);
        if (result.body.errors && result.body.errors.length) say(result.body.errors.join(" "));
        if (submitAfterSave && !pending) {
          var submitter = submitAfterSave;
          submitAfterSave = null;
          form.requestSubmit(submitter);
        }
      })
      .catch(function () {
        say(t.offline);
        setTimeout(save, 5000);
      })
      .then(function () {
        saving = false;
        if (pending) save();
      });
  }
  function changed() {
    dirty = true;
    keepLocally();
    say(t.unsaved);
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }
  form.addEventListener("input", function (event) {
    if (event.target.name && event.target.name.indexOf("part-") === 0) changed();
  });
  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") changed();
  });
  // Leaving the page, switching apps or locking the phone: send what is unsaved.
  function flush() {
    if (!dirty) return;
    keepLocally();
    if (navigator.sendBeacon) navigator.sendBeacon(saveUrl, formData("autosave"));
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);
  // Submitting while a save is on its way would send an old version: wait for it.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (saving || pending) {
      event.preventDefault();
      submitAfterSave = event.submitter;
      return;
    }
    forgetLocally();
    dirty = false;
  });

  // A copy on this device that the server never got (a dropped connection, a closed tab).
  try {
    var kept = JSON.parse(localStorage.getItem(storageKey) || "null");
    if (kept) {
      var differs = Object.keys(kept.values).some(function (name) {
        return values()[name] !== kept.values[name];
      });
      if (!differs) forgetLocally();
      else if (kept.version === versionInput.value) {
        Object.keys(kept.values).forEach(function (name) {
          setValue(name, kept.values[name]);
        });
        say(t.restored);
        changed();
      } else {
        showConflict({
          message: t.restored_conflict,
          version: versionInput.value,
          content: null,
          local: kept.values,
        });
      }
    }
  } catch {
    /* nothing kept, or unreadable: start from the server's text */
  }

  // Someone saved first: show their text beside ours, part by part, to merge.
  function showConflict(body) {
    var box = form.querySelector(".conflict");
    var list = box.querySelector(".conflict-parts");
    box.querySelector(".conflict-message").textContent =
      body.message + (body.updated_by ? " (" + body.updated_by + " " + body.updated_at + ")" : "");
    list.innerHTML = "";
    var mine = values();
    var theirs = {};
    if (body.content)
      Object.keys(body.content).forEach(function (id) {
        theirs["part-" + id] = body.content[id];
      });
    if (body.local) {
      theirs = values();
      mine = body.local;
    }
    var differing = Object.keys(theirs).filter(function (name) {
      return (theirs[name] || "") !== (mine[name] || "");
    });
    if (!differing.length) {
      // the same text saved twice (a beacon and a reload): nothing to merge
      versionInput.value = body.version;
      forgetLocally();
      dirty = false;
      say(t.saved + (body.updated_at ? " " + body.updated_at : ""));
      return;
    }
    Object.keys(theirs).forEach(function (name) {
      if ((theirs[name] || "") === (mine[name] || "")) return;
      var label =
        (
          form.querySelector("label[for='" + name + "']") ||
          form
            .querySelector("[name='" + name + "']")
            .closest("fieldset")
            .querySelector("legend") ||
          {}
        ).textContent || "";
      var item = document.createElement("div");
      item.className = "conflict-part";
      var heading = document.createElement("p");
      heading.className = "eyebrow";
      heading.textContent = label;
      var other = document.createElement("blockquote");
      other.textContent = theirs[name] || "—";
      var useOther = document.createElement("button");
      useOther.type = "button";
      useOther.className = "link";
      useOther.textContent = t.use_other;
      useOther.addEventListener("click", function () {
        setValue(name, theirs[name] || "");
        item.remove();
      });
      var addOther = document.createElement("button");
      addOther.type = "button";
      addOther.className = "link";
      addOther.textContent = t.add_other;
      addOther.addEventListener("click", function () {
        setValue(name, (mine[name] ? mine[name] + "\n\n" : "") + (theirs[name] || ""));
        item.remove();
      });
      item.append(heading, other, useOther, document.createTextNode(" · "), addOther);
      list.appendChild(item);
      setValue(name, mine[name] || "");
    });
    versionInput.value = body.version;
    box.hidden = false;
    say("");
    box.querySelector(".conflict-keep").onclick = function () {
      box.hidden = true;
      changed();
      save();
    };
  }

  // Files: one request each, with progress and retry.
  function uploadOne(part, file, list, key) {
    var item = document.createElement("li");
    item.className = "upload uploading";
    var name = document.createElement("span");
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var note = document.createElement("span");
    note.className = "meta";
    item.append(name, bar, note);
    list.appendChild(item);
    (function send() {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      data.append("part", part);
      data.append("client_key", key);
      data.append("file", file);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.dataset.uploadUrl);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      };
      xhr.onload = function () {
        var body = {};
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          /* not JSON: handled below */
        }
        if (xhr.status === 201) {
          item.className = "upload";
          item.innerHTML = "";
          if (body.kind === "photo") {
            var link = document.createElement("a");
            link.href = body.url + "?v=full";
            var img = document.createElement("img");
            img.className = "thumb";
            img.alt = body.name;
            img.src = body.url;
            link.appendChild(img);
            item.appendChild(link);
            if (body.state !== "ready") refreshWhenReady(img, body.url, 0);
          } else {
            var a = document.createElement("a");
            a.href = body.url;
            a.textContent = body.name;
            item.appendChild(a);
          }
        } else {
          failed(body.error || t.upload_failed, xhr.status >= 500);
        }
      };
      xhr.onerror = function () {
        failed(t.upload_failed, true);
      };
      function failed(message, canRetry) {
        item.className = "upload failed";
        note.textContent = message;
        if (canRetry) {
          var retry = document.createElement("button");
          retry.type = "button";
          retry.className = "link";
          retry.textContent = t.retry;
          retry.addEventListener("click", function () {
            retry.remove();
            note.textContent = "";
            item.className = "upload uploading";
            send();
          });
          item.appendChild(retry);
        }
      }
      xhr.send(data);
    })();
  }
  // While a worker makes the renditions the server sends a 400x300 placeholder: reload the
  // picture until it is something else (at most 20 times).
  function refreshWhenReady(img, url, attempt) {
    if (attempt > 20) return;
    setTimeout(function () {
      img.src = url + "?t=" + Date.now();
      img.onload = function () {
        if (img.naturalWidth === 400 && img.naturalHeight === 300)
          refreshWhenReady(img, url, attempt + 1);
      };
    }, 1500);
  }
  function newKey() {
    return window.crypto && crypto.randomUUID
      ? crypto.randomUUID()
      : String(Date.now()) + Math.random();
  }
  Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
    input.addEventListener("change", function () {
      var list = form.querySelector(".uploads[data-part='" + input.dataset.part + "']");
      Array.prototype.forEach.call(input.files, function (file) {
        uploadOne(input.dataset.part, file, list, newKey());
      });
      input.value = ""; // the files went one by one; the form itself will not send them again
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("img[data-processing]"), function (img) {
    refreshWhenReady(img, img.getAttribute("src"), 0);
  });
})();
