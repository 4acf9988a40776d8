// Person fields (portal/people/field.py): the text input becomes a combobox (ARIA 1.2 pattern)
// whose suggestions come from the server (data-suggest, JSON); choosing one fills the hidden id.
// Without this script the server resolves the typed text when the form is sent.
(function () {
  "use strict";
  var counter = 0;

  function setUp(box) {
    var input = box.querySelector("input[type=text]");
    var hidden = box.querySelector("input[data-person-id]");
    if (!input || !hidden) return;
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "person-suggestions";
    list.setAttribute("role", "listbox");
    var label = input.labels && input.labels[0];
    list.setAttribute("aria-label", (label ? label.textContent.trim() + ": " : "") + box.dataset.options);
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.appendChild(list);
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var chosenLabel = hidden.value ? input.value : null;
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      active = index;
      items.forEach(function (item, i) {
        item.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].element.id);
        items[index].element.scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      input.value = item.name;
      hidden.value = String(item.id);
      chosenLabel = item.name;
      box.querySelectorAll("input[type=radio]").forEach(function (radio) { radio.checked = false; });
      close();
      status.textContent = item.label;
    }

    function show(people) {
      list.textContent = "";
      items = people.map(function (person) {
        var element = document.createElement("li");
        element.id = listId + "-" + (++counter);
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        element.textContent = person.label;
        list.appendChild(element);
        return {element: element, id: person.id, label: person.label, name: person.name};
      });
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = items.length === 1 ? box.dataset.one :
          box.dataset.many.replace("{n}", String(items.length));
      } else {
        close();
        status.textContent = box.dataset.none;
      }
    }

    function ask() {
      var query = input.value.trim();
      if (!query) { show([]); status.textContent = ""; return; }
      var url = box.dataset.suggest + (box.dataset.suggest.indexOf("?") < 0 ? "?" : "&") +
        "q=" + encodeURIComponent(query);
      var mine = ++asked;
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (people) { if (mine === asked) show(people); })
        .catch(function () { /* the server resolves the text on submit */ });
    }

    input.addEventListener("input", function () {
      if (hidden.value && input.value !== chosenLabel) {
        hidden.value = "";  // typed over the chosen person: the server resolves the text again
        chosenLabel = null;
      }
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { ask(); return; }
        mark(active < items.length - 1 ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        mark(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      }
    });

    list.addEventListener("mousedown", function (event) {
      event.preventDefault();  // keep the focus in the input
      var element = event.target.closest("[role=option]");
      var index = items.findIndex(function (item) { return item.element === element; });
      if (index >= 0) choose(index);
    });

    input.addEventListener("blur", close);
  }

  document.querySelectorAll("[data-person-field]").forEach(setUp);
})();
