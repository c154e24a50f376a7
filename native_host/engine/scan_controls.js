// Lists every on/off control a person can see on the page, with the texts that name it.
// Run by the page driver through page.evaluate; it returns data only and changes nothing but
// `data-optout-ref` markers, which the driver uses to click the control, button or opener the engine chose.
// Class names and positions are never used: a control is known by its label text.
// Every text is capped: a page is not ours to trust, and the whole answer must stay small.
(marker) => {
  const MAX_TEXT = 300;
  const MAX_NAMES = 8;
  const MAX_ITEMS = 300;
  const clip = (text) => (text.length > MAX_TEXT ? text.slice(0, MAX_TEXT - 1) + "…" : text);
  const textOf = (node) => (node ? (node.innerText ?? node.textContent ?? "") : "");
  const isRendered = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const squash = (text) => clip(text.slice(0, 20 * MAX_TEXT).replace(/\s+/g, " ").trim());
  for (const name of [marker, marker + "-label", marker + "-button", marker + "-opener"]) {
    document.querySelectorAll(`[${name}]`).forEach((el) => el.removeAttribute(name));
  }

  // The separate texts inside a label, in order: a title, then help text.
  const segments = (root) => {
    const lines = textOf(root).slice(0, 20 * MAX_TEXT).split("\n").map(squash).filter(Boolean);
    if (lines.length > 1) return lines;
    const parts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode() && parts.length < MAX_NAMES) {
      const text = squash(walker.currentNode.nodeValue || "");
      if (text) parts.push(text);
    }
    return parts.length ? parts : lines;
  };

  const namesFor = (el) => {
    const names = [];
    const add = (root) => {
      if (!root) return;
      const full = squash(textOf(root));
      if (!full) return;
      names.push({ text: full, part: "full" });
      const parts = segments(root);
      if (parts.length > 1) names.push({ text: parts[0], part: "title" });
    };
    for (const label of el.labels || []) add(label);
    const labelledby = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    for (const id of labelledby) add(document.getElementById(id));
    const ariaLabel = el.getAttribute("aria-label");
    if (ariaLabel && squash(ariaLabel)) names.push({ text: squash(ariaLabel), part: "full" });
    if (el.tagName !== "INPUT") add(el);
    const title = el.getAttribute("title");
    if (title && squash(title)) names.push({ text: squash(title), part: "full" });
    return names.slice(0, MAX_NAMES);
  };

  // The name a container gives itself: aria-label, aria-labelledby, or the control that opens it.
  const containerName = (node) => {
    const label = node.getAttribute("aria-label");
    if (label && squash(label)) return squash(label);
    const ids = (node.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    const named = ids.map((id) => squash(textOf(document.getElementById(id)))).filter(Boolean).join(" ");
    if (named) return clip(named);
    if (node.id) {
      const opener = document.querySelector(`[aria-controls~="${CSS.escape(node.id)}"]`);
      if (opener) return squash(textOf(opener));
    }
    return "";
  };

  // The sections a control sits in: the latest heading of each level before it, then every fieldset legend,
  // named group, region or tab panel, open <details> and accordion panel around it.
  const headings = Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,h6,[role=heading]")).filter(isRendered);
  const levelOf = (h) => Number(h.getAttribute("aria-level") || h.tagName.slice(1)) || 2;
  const sectionsFor = (el) => {
    const outline = [];
    for (const h of headings) {
      if (!(h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
      const level = levelOf(h);
      while (outline.length && outline[outline.length - 1].level >= level) outline.pop();
      outline.push({ level, text: squash(textOf(h)) });
    }
    const sections = outline.map((entry) => entry.text);
    for (let node = el.parentElement; node; node = node.parentElement) {
      if (node.tagName === "FIELDSET") {
        const legend = node.querySelector(":scope > legend");
        if (legend) sections.push(squash(textOf(legend)));
      }
      if (node.tagName === "DETAILS") {
        const summary = node.querySelector(":scope > summary");
        if (summary) sections.push(squash(textOf(summary)));
      }
      if (["group", "region", "tabpanel"].includes(node.getAttribute("role"))) {
        sections.push(containerName(node));
      } else if (node.id) {
        const opener = document.querySelector(`[aria-controls~="${CSS.escape(node.id)}"]`);
        if (opener) sections.push(squash(textOf(opener)));
      }
    }
    return sections.filter(Boolean).slice(-MAX_NAMES);
  };

  const stateOf = (el) => {
    if (el.tagName === "INPUT") return el.checked;
    const aria = el.getAttribute("aria-checked") ?? el.getAttribute("aria-pressed");
    if (aria === "true") return true;
    if (aria === "false") return false;
    return null;
  };
  // What the page says the control is, as a person would name it: a switch or a checkbox.
  const kindOf = (el) => {
    const role = el.getAttribute("role");
    if (role === "switch") return "switch";
    if (role === "checkbox" || role === "menuitemcheckbox" || el.tagName === "INPUT") return "checkbox";
    return "other";
  };
  const disabledOf = (el) =>
    !!el.disabled || el.getAttribute("aria-disabled") === "true" || !!el.closest("fieldset[disabled]");

  const found = Array.from(
    document.querySelectorAll("input[type=checkbox], [role=switch], [role=checkbox], [role=menuitemcheckbox]")
  );
  const controls = [];
  found.forEach((el, index) => {
    if (controls.length >= MAX_ITEMS) return;
    const labels = Array.from(el.labels || []);
    const clickLabel = labels.find(isRendered);
    const clickable = isRendered(el) ? "control" : clickLabel ? "label" : null;
    if (!clickable || el.closest("[aria-hidden=true], [hidden], [inert]")) return;
    el.setAttribute(marker, String(index));
    if (clickable === "label") clickLabel.setAttribute(marker + "-label", String(index));
    controls.push({
      ref: String(index),
      click: clickable,
      names: namesFor(el),
      sections: sectionsFor(el),
      checked: stateOf(el),
      disabled: disabledOf(el),
      kind: kindOf(el),
    });
  });

  const dialogs = Array.from(document.querySelectorAll("[role=dialog], [role=alertdialog], dialog[open]")).filter(
    isRendered
  );
  const passwordVisible = Array.from(document.querySelectorAll("input[type=password]")).some(isRendered);
  const links = Array.from(document.querySelectorAll("a[href]"))
    .filter(isRendered)
    .slice(0, MAX_ITEMS)
    .map((a) => ({ text: squash(textOf(a) || a.getAttribute("aria-label") || ""), href: a.href.slice(0, 2000) }))
    .filter((link) => link.text);
  const buttons = Array.from(document.querySelectorAll("button, [role=button], input[type=submit]"))
    .filter(isRendered)
    .slice(0, MAX_ITEMS)
    .map((b, index) => {
      b.setAttribute(marker + "-button", String(index));
      const name = squash(b.getAttribute("aria-label") || textOf(b) || b.value || "");
      return {
        ref: String(index),
        text: name,
        disabled: !!b.disabled || b.getAttribute("aria-disabled") === "true",
        inDialog: dialogs.some((dialog) => dialog.contains(b)),
      };
    });
  // Collapsed sections a person would open by their name: accordion buttons, closed <details>, unselected tabs.
  const openers = Array.from(
    document.querySelectorAll("[aria-expanded=false], details:not([open]) > summary, [role=tab]:not([aria-selected=true])")
  )
    .filter(isRendered)
    .slice(0, MAX_ITEMS)
    .map((el, index) => {
      el.setAttribute(marker + "-opener", String(index));
      return { ref: String(index), text: squash(el.getAttribute("aria-label") || textOf(el)) };
    })
    .filter((opener) => opener.text);
  return {
    url: location.href,
    controls,
    links,
    buttons,
    openers,
    passwordVisible,
    dialogOpen: dialogs.length > 0,
    lang: (document.documentElement.getAttribute("lang") || "").slice(0, 35),
  };
};
