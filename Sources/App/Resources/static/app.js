// UngCuu — small progressive enhancements. Every page works without this file.
(() => {
  "use strict";
  const root = document.documentElement;
  root.classList.add("js");
  if (navigator.clipboard) root.classList.add("can-copy");

  // 1. Narrow screens: the ☰ button shows and hides the side navigation.
  const toggle = document.querySelector(".nav-toggle");
  const nav = toggle && (document.getElementById(toggle.getAttribute("aria-controls") || "") || document.querySelector(".sidenav"));
  if (toggle && nav) {
    if (!toggle.hasAttribute("aria-label") && nav.getAttribute("aria-label")) {
      toggle.setAttribute("aria-label", nav.getAttribute("aria-label"));
    }
    const setOpen = (open) => {
      nav.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", String(open));
    };
    toggle.addEventListener("click", () => setOpen(!nav.classList.contains("open")));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // 2. Forms with data-confirm ask before submitting.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
    if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  });

  // 3. Filter forms: choosing a value in a select re-runs the search at once (pointer or touch).
  //    Keyboard users keep full control: arrowing through options does not reload the page;
  //    they press the Filter button as without JS.
  let keyboard = false;
  document.addEventListener("keydown", () => { keyboard = true; }, true);
  document.addEventListener("pointerdown", () => { keyboard = false; }, true);
  document.addEventListener("change", (event) => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || keyboard) return;
    const form = select.form;
    if (!form || !form.classList.contains("filters")) return;
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  });

  // 4. [data-copy="id"] copies the text of the element with that id.
  // A polite live region, created up front so screen readers announce the first copy too.
  let status = null;
  if (document.querySelector("[data-copy]")) {
    status = document.createElement("span");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    document.body.appendChild(status);
  }
  const announce = (text) => {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(() => { status.textContent = text; }, 50);
  };
  document.addEventListener("click", (event) => {
    const trigger = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!trigger || !navigator.clipboard) return;
    const source = document.getElementById(trigger.getAttribute("data-copy"));
    if (!source) return;
    event.preventDefault();
    const vi = (root.lang || "vi").toLowerCase().startsWith("vi");
    navigator.clipboard.writeText(source.textContent.trim()).then(() => {
      trigger.setAttribute("data-copied", "");
      announce(trigger.getAttribute("data-copied-text") || (vi ? "Đã sao chép" : "Copied"));
      window.setTimeout(() => trigger.removeAttribute("data-copied"), 2500);
    }, () => {
      announce(vi ? "Không sao chép được. Hãy chọn và sao chép thủ công." : "Could not copy. Select the text and copy it by hand.");
    });
  });

  // 5. Forms with class "autosave" (the incident report) never lose what was typed: every change is kept in
  //    this browser at once, and sent to the server as a draft every few seconds. When the session has
  //    expired the copy in the browser stays, and is put back the next time the form is opened.
  const draftForm = document.querySelector("form.autosave");
  const owner = (document.getElementById("draft-owner") || {}).value || "";
  const draftKey = draftForm ? "uc-draft:" + location.pathname + ":" + owner.trim() : null;
  if (new URLSearchParams(location.search).get("done") === "incidentReported") {
    Object.keys(localStorage).filter((k) => k.startsWith("uc-draft:/incidents/new:")).forEach((k) => localStorage.removeItem(k));
  }
  document.addEventListener("submit", (event) => {
    if (event.target instanceof HTMLFormElement && event.target.id === "signout") {
      Object.keys(localStorage).filter((k) => k.startsWith("uc-draft:")).forEach((k) => localStorage.removeItem(k));
    }
  }, true);
  if (draftForm && draftKey) {
    const statusLine = document.getElementById("draft-status");
    const say = (attr) => { if (statusLine && statusLine.dataset[attr]) statusLine.textContent = statusLine.dataset[attr]; };
    const fields = () => Array.from(draftForm.elements).filter((el) => el.name && !el.disabled && el.type !== "file" &&
      el.type !== "hidden" && el.type !== "submit");
    const snapshot = () => {
      const pairs = [];
      fields().forEach((el) => {
        if (el instanceof HTMLSelectElement) Array.from(el.selectedOptions).forEach((o) => pairs.push([el.name, o.value]));
        else if (el.type === "checkbox" || el.type === "radio") { if (el.checked) pairs.push([el.name, el.value]); }
        else pairs.push([el.name, el.value]);
      });
      return pairs;
    };
    const restore = (pairs) => {
      const values = new Map();
      pairs.forEach(([name, value]) => { if (!values.has(name)) values.set(name, []); values.get(name).push(value); });
      fields().forEach((el) => {
        const list = values.get(el.name) || [];
        if (el instanceof HTMLSelectElement) Array.from(el.options).forEach((o) => { o.selected = list.includes(o.value); });
        else if (el.type === "checkbox" || el.type === "radio") el.checked = list.includes(el.value);
        else el.value = list[0] || "";
      });
    };
    const serverSaved = Date.parse((document.getElementById("draft-saved-at") || {}).value || "") || 0;
    try {
      const local = JSON.parse(localStorage.getItem(draftKey) || "null");
      if (local && local.at > serverSaved && !draftForm.querySelector("[aria-invalid=true]")) { restore(local.pairs); say("restoredText"); }
    } catch (e) { localStorage.removeItem(draftKey); }
    let dirty = false;
    const keep = () => {
      dirty = true;
      try { localStorage.setItem(draftKey, JSON.stringify({ at: Date.now(), pairs: snapshot() })); } catch (e) { /* storage full: the server draft remains */ }
    };
    draftForm.addEventListener("input", keep);
    draftForm.addEventListener("change", keep);
    const url = (document.getElementById("autosave-url") || {}).value;
    window.setInterval(() => {
      if (!dirty || !url) return;
      dirty = false;
      const body = new FormData();
      const token = draftForm.querySelector("input[name=_csrf]");
      if (token) body.append(token.name, token.value);
      snapshot().forEach(([name, value]) => body.append(name, value));
      fetch(url, { method: "POST", body, credentials: "same-origin", redirect: "manual" })
        .then((response) => { if (response.status === 204) say("savedText"); else { dirty = true; say("offlineText"); } })
        .catch(() => { dirty = true; say("offlineText"); });
    }, 5000);
  }

  // 6. [data-poll="url"] (a running network scan): its progress is read every 3 s; the page reloads once the
  //    state changes. Without JS the page's refresh link does the same.
  const poll = document.querySelector("[data-poll]");
  if (poll) {
    const bar = poll.querySelector("progress");
    const note = poll.querySelector("[role=status]");
    const timer = window.setInterval(() => {
      fetch(poll.getAttribute("data-poll"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((data) => {
          if (!data) return;
          if (data.state !== "running") { window.clearInterval(timer); window.location.reload(); return; }
          if (bar) { bar.value = data.progress; bar.textContent = data.progress + "%"; }
          if (note) note.textContent = data.progress + "%" + (data.note ? " · " + data.note : "");
        })
        .catch(() => {});
    }, 3000);
  }

  // 7. form[data-stream-upload] (event files): sent with the CSRF token as a header, so the server streams the files to
  //    disk instead of collecting the body to find the token; the upload's progress is shown. Without JS the form posts
  //    as usual (within the ordinary upload limit).
  document.querySelectorAll("form[data-stream-upload]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const token = form.querySelector("input[name=_csrf]");
      if (!token || typeof XMLHttpRequest === "undefined") return;
      event.preventDefault();
      const box = form.querySelector(".upload-progress");
      const bar = box && box.querySelector("progress");
      const label = box && box.querySelector("span");
      const button = form.querySelector("button[type=submit]");
      if (box) box.hidden = false;
      if (button) button.disabled = true;
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRF-Token", token.value);
      xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) return;
        const percent = Math.floor((e.loaded * 100) / e.total);
        if (bar) bar.value = percent;
        if (label) label.textContent = " " + percent + "%";
      });
      xhr.addEventListener("load", () => {
        if (xhr.responseURL && xhr.responseURL !== form.action && xhr.status < 400) { window.location.assign(xhr.responseURL); return; }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", () => {
        if (button) button.disabled = false;
        if (label) label.textContent = " ✗";
      });
      xhr.send(new FormData(form));
    });
  });
})();
