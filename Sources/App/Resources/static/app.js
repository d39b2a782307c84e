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
})();
