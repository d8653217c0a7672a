/* Etalage: the small things a page does better with JavaScript. Every page works
   without it; this file only adds:

   - the filters fold open on a wide screen (on a phone they stay behind one button);
   - after an htmx answer, a form field with a message gets aria-invalid (and loses it);
   - "Vergelijk": up to four providers, remembered while the visitor searches on
     (sessionStorage), sent as ?kvk=...;
   - "Mijn lijst": providers saved in this browser only (localStorage), never sent to
     the server unless the visitor opens the list's compare link;
   - copy and print buttons ([data-kopieer], [data-print]).

   No inline scripts (the Content-Security-Policy forbids them), no other hosts. */
(function () {
  "use strict";

  var COMPARE_KEY = "etalage-vergelijk";
  var LIST_KEY = "etalage-mijn-lijst";
  var MAX_COMPARE = 4;

  function read(storage, key) {
    try {
      var value = JSON.parse(storage.getItem(key) || "[]");
      return Array.isArray(value) ? value.filter(function (x) { return x && /^[0-9]{8}$/.test(x.kvk); }) : [];
    } catch (e) {
      return [];
    }
  }

  function write(storage, key, items) {
    try {
      storage.setItem(key, JSON.stringify(items));
    } catch (e) {
      /* storage full or blocked: the choice lasts for this page only */
    }
  }

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  /* ---- filters ------------------------------------------------------------------ */

  function openFiltersOnWideScreens() {
    var box = document.getElementById("filterbox");
    if (box && window.matchMedia("(min-width: 60em)").matches) {
      box.open = true;
    }
  }

  function syncFieldErrors() {
    var anyError = false;
    each(".etalage-field-error", function (slot) {
      var hasError = slot.textContent.trim() !== "";
      anyError = anyError || hasError;
      each("[aria-describedby~='" + slot.id + "']", function (control) {
        if (hasError) {
          control.setAttribute("aria-invalid", "true");
        } else {
          control.removeAttribute("aria-invalid");
        }
      });
      var field = slot.closest(".utrecht-form-field");
      if (field) {
        field.classList.toggle("utrecht-form-field--invalid", hasError);
      }
    });
    var box = document.getElementById("filterbox");
    if (anyError && box && !box.open) {
      var inBox = Array.prototype.some.call(box.querySelectorAll(".etalage-field-error"), function (s) {
        return s.textContent.trim() !== "";
      });
      if (inBox) {
        box.open = true;
      }
    }
  }

  /* ---- compare ------------------------------------------------------------------ */

  function chosen() {
    return read(window.sessionStorage, COMPARE_KEY).slice(0, MAX_COMPARE);
  }

  function updateCompare() {
    var form = document.getElementById("vergelijkformulier");
    if (!form) {
      return;
    }
    var picked = chosen();
    var kvks = picked.map(function (x) { return x.kvk; });
    each("input[type=checkbox][form=vergelijkformulier]", function (box) {
      box.checked = kvks.indexOf(box.value) >= 0;
      box.disabled = !box.checked && kvks.length >= MAX_COMPARE;
    });
    var button = document.getElementById("vergelijk-knop");
    if (button) {
      button.textContent = kvks.length ? "Vergelijk (" + kvks.length + ")" : "Vergelijk";
    }
    var status = document.getElementById("vergelijk-status");
    if (status) {
      status.textContent = kvks.length >= MAX_COMPARE
        ? "U hebt " + MAX_COMPARE + " aanbieders gekozen. Meer kan niet tegelijk."
        : "";
    }
  }

  function onCompareChange(event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox][form=vergelijkformulier]")) {
      return;
    }
    var picked = chosen().filter(function (x) { return x.kvk !== box.value; });
    if (box.checked && picked.length < MAX_COMPARE) {
      picked.push({ kvk: box.value, naam: box.dataset.naam || "", slug: box.dataset.slug || "" });
    }
    write(window.sessionStorage, COMPARE_KEY, picked);
    updateCompare();
  }

  function onCompareSubmit(event) {
    var form = event.target;
    if (form.id !== "vergelijkformulier") {
      return;
    }
    /* Chosen on earlier pages of results: send those too. */
    each("input[data-gekozen]", function (old) { old.remove(); }, form);
    var present = [];
    each("input[type=checkbox][form=vergelijkformulier]:checked", function (box) { present.push(box.value); });
    chosen().forEach(function (x) {
      if (present.indexOf(x.kvk) < 0) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "kvk";
        input.value = x.kvk;
        input.setAttribute("data-gekozen", "");
        form.appendChild(input);
      }
    });
  }

  /* ---- my list ------------------------------------------------------------------ */

  function savedList() {
    return read(window.localStorage, LIST_KEY);
  }

  function updateSaveButtons() {
    var kvks = savedList().map(function (x) { return x.kvk; });
    each("button[data-bewaar]", function (button) {
      var saved = kvks.indexOf(button.dataset.bewaar) >= 0;
      button.setAttribute("aria-pressed", saved ? "true" : "false");
      button.textContent = saved ? "Bewaard in mijn lijst" : "Bewaar in mijn lijst";
    });
  }

  function onSaveClick(event) {
    var button = event.target.closest && event.target.closest("button[data-bewaar]");
    if (!button) {
      return;
    }
    var kvk = button.dataset.bewaar;
    var list = savedList();
    var without = list.filter(function (x) { return x.kvk !== kvk; });
    if (without.length === list.length) {
      without.push({ kvk: kvk, naam: button.dataset.naam || "", slug: button.dataset.slug || "" });
    }
    write(window.localStorage, LIST_KEY, without);
    updateSaveButtons();
  }

  function renderMyList() {
    var target = document.getElementById("mijn-lijst");
    if (!target) {
      return;
    }
    var list = savedList();
    target.textContent = "";
    var status = document.getElementById("mijn-lijst-status");
    if (!list.length) {
      status.textContent = "Uw lijst is leeg. Kies bij een aanbieder ‘Bewaar in mijn lijst’.";
      return;
    }
    status.textContent = list.length === 1 ? "1 aanbieder in uw lijst." : list.length + " aanbieders in uw lijst.";
    var ol = document.createElement("ol");
    ol.className = "etalage-mylist";
    list.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.className = "utrecht-link";
      link.href = "/aanbieders/" + encodeURIComponent(item.slug);
      link.textContent = item.naam || item.kvk;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "utrecht-button utrecht-button--subtle";
      remove.textContent = "Haal weg";
      var whom = document.createElement("span");
      whom.className = "visually-hidden";
      whom.textContent = ": " + (item.naam || item.kvk);
      remove.appendChild(whom);
      remove.addEventListener("click", function () {
        write(window.localStorage, LIST_KEY, savedList().filter(function (x) { return x.kvk !== item.kvk; }));
        renderMyList();
        status.focus();
      });
      li.appendChild(link);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(remove);
      ol.appendChild(li);
    });
    target.appendChild(ol);
    var compare = document.getElementById("mijn-lijst-vergelijk");
    if (compare) {
      var query = list.slice(0, MAX_COMPARE).map(function (x) { return "kvk=" + x.kvk; }).join("&");
      compare.href = "/aanbieders/vergelijk?" + query;
      compare.hidden = false;
    }
  }

  /* ---- copy and print ----------------------------------------------------------- */

  function onCopyClick(event) {
    var button = event.target.closest && event.target.closest("button[data-kopieer]");
    if (!button) {
      return;
    }
    var source = document.querySelector(button.dataset.kopieer);
    var status = document.getElementById(button.dataset.status || "");
    if (!source) {
      return;
    }
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () { if (status) { status.textContent = "Gekopieerd. U kunt de tekst nu plakken."; } };
    var failed = function () {
      if (source.select) {
        source.focus();
        source.select();
      }
      if (status) { status.textContent = "Kopiëren lukte niet. De tekst is geselecteerd: kopieer hem zelf (Ctrl+C)."; }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  function onPrintClick(event) {
    var button = event.target.closest && event.target.closest("button[data-print]");
    if (button) {
      window.print();
    }
  }

  /* Print: the page's address and the date in the footer (the print stylesheet shows it). */
  function stampPrintFooter() {
    each("[data-print-date]", function (el) {
      el.textContent = new Date().toLocaleDateString("nl-NL", { day: "numeric", month: "long", year: "numeric" });
    });
    each("[data-print-url]", function (el) {
      el.textContent = window.location.href;
    });
  }

  function showScriptOnly() {
    each("[data-met-script]", function (el) { el.hidden = false; });
  }

  function start() {
    showScriptOnly();
    openFiltersOnWideScreens();
    updateCompare();
    updateSaveButtons();
    renderMyList();
    stampPrintFooter();
    document.addEventListener("change", onCompareChange);
    document.addEventListener("submit", onCompareSubmit, true);
    document.addEventListener("click", onSaveClick);
    document.addEventListener("click", onCopyClick);
    document.addEventListener("click", onPrintClick);
    window.addEventListener("beforeprint", stampPrintFooter);
    document.body.addEventListener("htmx:afterSettle", function () {
      syncFieldErrors();
      updateCompare();
      updateSaveButtons();
      stampPrintFooter();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
