(function () {
  "use strict";
  var cls = {{ cls | tojson }};
  var props = JSON.parse(document.getElementById("__PWS_INITIAL_PROPS__").textContent);
  var root = document.getElementById("__app");
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
    input.addEventListener("change", function () { instantSave(control); });
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
    button.addEventListener("click", function () { set(!control.get()); instantSave(control); });
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
    return {row: row, control: control};
  }

  function instantSave(control) {
    var options = {};
    var value = control.get();
    options[control.field] = value;
    save(options).then(function () {
      control.saved = value;
    }).catch(function () {
      control.set(control.saved);
      toast("Something went wrong. Your change wasn't saved. Please try again.", true);
    });
  }

  function doneSave() {
    var options = {};
    controls.forEach(function (c) { if (!c.disabled) options[c.field] = c.get(); });
    save(options).then(function () {
      controls.forEach(function (c) { c.saved = c.get(); });
      toast("Saved", false);
    }).catch(function () {
      controls.forEach(function (c) { c.set(c.saved); });
      toast("Something went wrong. Your settings weren't saved. Please try again.", true);
    });
  }

  function render(data) {
    root.textContent = "";
    root.appendChild(el("h1", cls.pageTitle, props.title));
    if (data.intro) root.appendChild(el("p", cls.intro, data.intro));
    var build = props.mode === "checkbox" ? checkboxRow : props.mode === "aria" ? ariaRow : switchRow;
    data.sections.forEach(function (section) {
      var box = el("section", cls.section);
      if (section.heading) box.appendChild(el("h2", cls.sectionTitle, section.heading));
      if (section.intro) box.appendChild(el("p", cls.intro, section.intro));
      section.items.forEach(function (item) {
        var made = build(item);
        controls.push(made.control);
        box.appendChild(made.row);
      });
      root.appendChild(box);
    });
    if (props.mode === "checkbox") {
      var bar = el("div", cls.bar);
      var reset = el("button", cls.button, "Reset");
      reset.type = "button";
      reset.addEventListener("click", function () { controls.forEach(function (c) { c.set(c.saved); }); });
      var done = el("button", cls.button + " " + cls.buttonPrimary, props.saveLabel);
      done.type = "button";
      done.addEventListener("click", doneSave);
      bar.appendChild(reset);
      bar.appendChild(done);
      root.appendChild(bar);
    }
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
      root.appendChild(el("p", cls.intro, "We couldn't load your settings. Refresh the page to try again."));
    });
})();
