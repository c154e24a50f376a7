// Lists every on/off control a person can see on the page, with the texts that name it.
// Run by the engine through page.evaluate; it returns data only and changes nothing but a
// `data-optout-ref` marker on each control, which the engine uses to click the one it chose.
// Class names and positions are never used: a control is known by its label text.
(marker) => {
  const textOf = (node) => (node ? (node.innerText ?? node.textContent ?? "") : "");
  const isRendered = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const squash = (text) => text.replace(/\s+/g, " ").trim();
  for (const name of [marker, marker + "-label", marker + "-button"]) {
    document.querySelectorAll(`[${name}]`).forEach((el) => el.removeAttribute(name));
  }

  // The separate texts inside a label, in order: a title, then help text.
  const segments = (root) => {
    const lines = textOf(root).split("\n").map(squash).filter(Boolean);
    if (lines.length > 1) return lines;
    const parts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
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
    return names;
  };

  // The headings a control sits under: the latest heading of each level before it, plus
  // any fieldset legend or labelled group around it.
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
      const role = node.getAttribute("role");
      if ((role === "group" || role === "region") && node.getAttribute("aria-label")) {
        sections.push(squash(node.getAttribute("aria-label")));
      }
    }
    return sections.filter(Boolean);
  };

  const stateOf = (el) => {
    if (el.tagName === "INPUT") return el.checked;
    const aria = el.getAttribute("aria-checked") ?? el.getAttribute("aria-pressed");
    if (aria === "true") return true;
    if (aria === "false") return false;
    return null;
  };
  const disabledOf = (el) =>
    !!el.disabled || el.getAttribute("aria-disabled") === "true" || !!el.closest("fieldset[disabled]");

  const found = Array.from(
    document.querySelectorAll("input[type=checkbox], [role=switch], [role=checkbox], [role=menuitemcheckbox]")
  );
  const controls = [];
  found.forEach((el, index) => {
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
    });
  });

  const passwordVisible = Array.from(document.querySelectorAll("input[type=password]")).some(isRendered);
  const links = Array.from(document.querySelectorAll("a[href]"))
    .filter(isRendered)
    .map((a) => ({ text: squash(textOf(a) || a.getAttribute("aria-label") || ""), href: a.href }))
    .filter((link) => link.text);
  const buttons = Array.from(document.querySelectorAll("button, [role=button], input[type=submit]"))
    .filter(isRendered)
    .map((b, index) => {
      b.setAttribute(marker + "-button", String(index));
      const name = squash(b.getAttribute("aria-label") || textOf(b) || b.value || "");
      return { ref: String(index), text: name, disabled: !!b.disabled || b.getAttribute("aria-disabled") === "true" };
    });
  return {
    controls,
    links,
    buttons,
    passwordVisible,
  };
};
