(function () {
  "use strict";
  var cls = {{ cls | tojson }};
  var props = JSON.parse(document.getElementById("__PWS_INITIAL_PROPS__").textContent);
  var root = document.getElementById("__app");
  var behaviour = props.behaviour || {};
  var text = props.text;
  var toastTimer = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function toast(message, isError) {
    var old = document.querySelector("." + cls.toast);
    if (old) old.remove();
    var box = el("div", cls.toast + (isError ? " " + cls.toastError : ""), message);
    box.setAttribute(isError ? "role" : "aria-live", isError ? "alert" : "polite");
    document.body.appendChild(box);
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.remove(); }, 5000);
  }

  function save(options) {
    return fetch(props.save, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest"},
      body: JSON.stringify({options: options})
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  var controls = [];

  function labelBlock(item, forId) {
    var label = el("label", cls.rowText);
    label.htmlFor = forId;
    label.appendChild(el("div", cls.title, item.title));
    if (item.help) label.appendChild(el("div", cls.subtitle, item.help));
    return label;
  }

  function switchRow(item) {
    var row = el("div", cls.row);
    row.appendChild(labelBlock(item, item.id));
    var box = el("div", "switch " + cls.switch);
    var input = el("input", "checkbox " + cls.switchInput);
    input.type = "checkbox";
    input.id = item.id;
    input.checked = item.value;
    input.disabled = item.disabled;
    box.appendChild(input);
    box.appendChild(el("div", "slider " + cls.slider));
    row.appendChild(box);
    var control = {field: item.field, saved: item.value, disabled: item.disabled,
      get: function () { return input.checked; }, set: function (v) { input.checked = v; }};
    input.addEventListener("change", function () { changed(control); });
    return {row: row, control: control};
  }

  function ariaRow(item) {
    var row = el("div", cls.row);
    var text = el("div", cls.rowText);
    var title = el("div", cls.title, item.title);
    title.id = item.id + "-label";
    text.appendChild(title);
    var button = el("button", cls.ariaSwitch);
    button.type = "button";
    button.setAttribute("role", "switch");
    button.setAttribute("aria-labelledby", title.id);
    if (item.help) {
      var help = el("div", cls.subtitle, item.help);
      help.id = item.id + "-description";
      text.appendChild(help);
      button.setAttribute("aria-describedby", help.id);
    }
    button.appendChild(el("span", cls.knob));
    button.disabled = item.disabled;
    row.appendChild(text);
    row.appendChild(button);
    function set(v) { button.setAttribute("aria-checked", v ? "true" : "false"); }
    set(item.value);
    var control = {field: item.field, saved: item.value, disabled: item.disabled,
      get: function () { return button.getAttribute("aria-checked") === "true"; }, set: set};
    button.addEventListener("click", function () { set(!control.get()); changed(control); });
    return {row: row, control: control};
  }

  function checkboxRow(item) {
    var row = el("div", cls.checkbox);
    var box = el("div", cls.checkboxBox);
    var input = el("input", cls.checkboxInput);
    input.type = "checkbox";
    input.id = item.id;
    input.checked = item.value;
    input.disabled = item.disabled;
    input.setAttribute("aria-invalid", "false");
    if (item.help) input.setAttribute("aria-describedby", item.id + "-helperText");
    box.appendChild(input);
    box.insertAdjacentHTML("beforeend",
      '<svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true"><path d="M9 19 2 12l2.5-2.5L9 14 19.5 3.5 22 6z" fill="#fff"/></svg>');
    var text = el("div", cls.rowText);
    var label = el("label");
    label.htmlFor = item.id;
    label.appendChild(el("div", cls.title, item.title));
    text.appendChild(label);
    if (item.help) {
      var helper = el("div", cls.helper, item.help);
      helper.id = item.id + "-helperText";
      text.appendChild(helper);
    }
    row.appendChild(box);
    row.appendChild(text);
    var control = {field: item.field, saved: item.value, disabled: item.disabled,
      get: function () { return input.checked; }, set: function (v) { input.checked = v; }};
    input.addEventListener("change", function () { changed(control); });
    return {row: row, control: control};
  }

  // What a change does: saved at once, saved once confirmed, or held until the Save bar is pressed.
  function changed(control) {
    if (behaviour.saveModel === "bar") showBar();
    else if (behaviour.saveModel === "confirm") confirmChange(control);
    else if (props.mode !== "checkbox") instantSave(control);
  }

  function confirmChange(control) {
    var value = control.get();
    var overlay = el("div");
    overlay.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.4);z-index:5;display:flex;" +
      "align-items:center;justify-content:center";
    var dialog = el("div", cls.card);
    dialog.style.cssText = "background:#fff;margin:0";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    var heading = el("h2", cls.sectionTitle, value ? text.ask_on : text.ask_off);
    heading.id = uid();
    dialog.setAttribute("aria-labelledby", heading.id);
    dialog.appendChild(heading);
    dialog.appendChild(el("p", cls.intro, text.ask_text));
    var cancel = el("button", cls.button, text.cancel);
    var confirm = el("button", cls.button + " " + cls.buttonPrimary, value ? text.turn_on : text.turn_off);
    cancel.type = confirm.type = "button";
    cancel.addEventListener("click", function () { overlay.remove(); control.set(control.saved); });
    confirm.addEventListener("click", function () {
      overlay.remove();
      if (props.mode !== "checkbox") instantSave(control);
    });
    dialog.appendChild(cancel);
    dialog.appendChild(confirm);
    overlay.appendChild(dialog);
    document.body.appendChild(overlay);
  }

  var bar = null;

  function makeBar() {
    var box = el("div", cls.bar);
    var reset = el("button", cls.button, behaviour.saveModel === "bar" ? text.cancel : text.reset);
    reset.type = "button";
    reset.addEventListener("click", function () {
      controls.forEach(function (c) { c.set(c.saved); });
      if (behaviour.saveModel === "bar") hideBar();
    });
    var done = el("button", cls.button + " " + cls.buttonPrimary, props.saveLabel);
    done.type = "button";
    done.addEventListener("click", doneSave);
    box.appendChild(reset);
    box.appendChild(done);
    return box;
  }

  function showBar() {
    if (bar) return;
    bar = makeBar();
    root.appendChild(bar);
  }

  function hideBar() {
    if (bar) bar.remove();
    bar = null;
  }

  function instantSave(control) {
    var options = {};
    var value = control.get();
    options[control.field] = value;
    save(options).then(function () {
      control.saved = value;
    }).catch(function () {
      control.set(control.saved);
      toast(text.save_failed, true);
    });
  }

  function doneSave() {
    var options = {};
    controls.forEach(function (c) { if (!c.disabled) options[c.field] = c.get(); });
    save(options).then(function () {
      controls.forEach(function (c) { c.saved = c.get(); });
      if (behaviour.saveModel === "bar") hideBar();
      toast(text.saved, false);
    }).catch(function () {
      controls.forEach(function (c) { c.set(c.saved); });
      toast(text.saves_failed, true);
    });
  }

  var nextId = 0;
  function uid() { nextId += 1; return "s" + Math.random().toString(36).slice(2, 8) + nextId; }

  // A section's box in the configured style; returns where its rows go.
  function sectionBox(section, index, tabs) {
    var style = behaviour.sectionStyle || "heading";
    if (!section.heading) style = "heading";
    var box, body;
    if (style === "fieldset") {
      box = el("fieldset", cls.section);
      box.style.cssText = "border:0;padding:0;margin:0 0 32px";
      box.appendChild(el("legend", cls.sectionTitle, section.heading));
      body = box;
    } else if (style === "group") {
      box = el("div", cls.section);
      box.setAttribute("role", "group");
      var name = el("div", cls.sectionTitle, section.heading);
      name.id = uid();
      box.setAttribute("aria-labelledby", name.id);
      box.appendChild(name);
      body = box;
    } else if (style === "accordion") {
      box = el("div", cls.section);
      var opener = el("button", cls.button, section.heading);
      opener.type = "button";
      opener.id = uid();
      body = el("div");
      body.id = uid();
      body.hidden = true;
      body.setAttribute("role", "region");
      body.setAttribute("aria-labelledby", opener.id);
      opener.setAttribute("aria-expanded", "false");
      opener.setAttribute("aria-controls", body.id);
      opener.addEventListener("click", function () {
        body.hidden = !body.hidden;
        opener.setAttribute("aria-expanded", body.hidden ? "false" : "true");
      });
      box.appendChild(opener);
      box.appendChild(body);
    } else if (style === "disclosure") {
      box = el("details", cls.section);
      box.appendChild(el("summary", cls.sectionTitle, section.heading));
      body = box;
    } else if (style === "tab") {
      var tab = el("button", cls.navLink, section.heading);
      tab.type = "button";
      tab.id = uid();
      tab.setAttribute("role", "tab");
      box = el("div", cls.section);
      box.id = uid();
      box.setAttribute("role", "tabpanel");
      box.setAttribute("aria-labelledby", tab.id);
      tab.setAttribute("aria-controls", box.id);
      tabs.list.appendChild(tab);
      tabs.items.push({tab: tab, panel: box});
      tab.addEventListener("click", function () {
        tabs.items.forEach(function (entry) {
          entry.panel.hidden = entry.tab !== tab;
          entry.tab.setAttribute("aria-selected", entry.tab === tab ? "true" : "false");
        });
      });
      box.hidden = index !== 0;
      tab.setAttribute("aria-selected", index === 0 ? "true" : "false");
      body = box;
    } else {
      box = el("section", cls.section);
      box.appendChild(el("h2", cls.sectionTitle, section.heading));
      body = box;
    }
    if (section.intro) body.appendChild(el("p", cls.intro, section.intro));
    return {box: box, body: body};
  }

  function render(data) {
    root.textContent = "";
    root.appendChild(el("h1", cls.pageTitle, props.title));
    if (data.intro) root.appendChild(el("p", cls.intro, data.intro));
    var build = props.mode === "checkbox" ? checkboxRow : props.mode === "aria" ? ariaRow : switchRow;
    var tabs = {list: el("div"), items: []};
    tabs.list.setAttribute("role", "tablist");
    if (behaviour.sectionStyle === "tab") root.appendChild(tabs.list);
    var byId = {};
    data.sections.forEach(function (section, index) {
      var made = sectionBox(section, index, tabs);
      section.items.forEach(function (item) {
        // late_states: every control is drawn off until its real state arrives.
        var row = build(behaviour.lateStates ? Object.assign({}, item, {value: false}) : item);
        row.control.id = item.id;
        byId[item.id] = row.control;
        controls.push(row.control);
        made.body.appendChild(row.row);
      });
      root.appendChild(made.box);
    });
    if (props.mode === "checkbox" && behaviour.saveModel !== "bar") root.appendChild(makeBar());
    if (behaviour.lateStates) loadStates(byId);
    if (behaviour.leaveTo) {
      setTimeout(function () { location.replace(behaviour.leaveTo + location.pathname); },
        behaviour.leaveSeconds * 1000);
    }
  }

  function loadStates(byId) {
    fetch(props.read + "?part=values&page=" + encodeURIComponent(props.page), {credentials: "same-origin",
      headers: {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}})
      .then(function (response) { return response.json(); })
      .then(function (body) {
        var values = body.resource_response.data.values;
        setTimeout(function () {
          Object.keys(values).forEach(function (id) {
            if (!byId[id]) return;
            byId[id].set(values[id]);
            byId[id].saved = values[id];
          });
        }, behaviour.lateDrawSeconds * 1000);
      });
  }

  fetch(props.read + "?page=" + encodeURIComponent(props.page), {credentials: "same-origin",
    headers: {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}})
    .then(function (response) {
      if (response.status === 401) { window.location.assign("/login/?next=" + encodeURIComponent(location.pathname)); return null; }
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (body) { if (body) render(body.resource_response.data); })
    .catch(function () {
      root.textContent = "";
      root.appendChild(el("h1", cls.pageTitle, props.title));
      root.appendChild(el("p", cls.intro, text.load_failed));
    });
})();
