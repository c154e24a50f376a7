// Pinterest's settings pages as a React app made of Gestalt's own components.
//
// Like a real React page, it draws first and fetches after: every control appears off, and the account's
// states arrive from the settings resource a moment later. The server's props give the layout (titles, help,
// generated ids); the rule ids ("fields") come only with the resource and stay in this script's memory.
import "gestalt/dist/gestalt.css";

import {
  Accordion,
  Box,
  Button,
  Checkbox,
  Divider,
  Flex,
  Heading,
  Label,
  Layer,
  Switch,
  Tabs,
  Text,
  Toast,
} from "gestalt";
import { useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";

const props = JSON.parse(document.getElementById("__PWS_INITIAL_PROPS__").textContent);
const query = new URLSearchParams(window.location.search);
// ?save=save_bar or ?save=instant and ?delay=SECONDS let a person try each behaviour without restarting.
const saveMode = ["instant", "save_bar"].includes(query.get("save")) ? query.get("save") : props.saveMode;
const items = props.sections.flatMap((section) => section.items);

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function readUrl() {
  const params = new URLSearchParams({ page: props.page });
  if (query.has("delay")) params.set("delay", query.get("delay"));
  return `${props.read}?${params}`;
}

async function loadSettings() {
  const response = await fetch(readUrl(), {
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
  });
  if (response.status === 401) {
    window.location.assign(`/login/?next=${encodeURIComponent(window.location.pathname)}`);
    return null;
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  return body.resource_response.data.sections.flatMap((section) => section.items);
}

async function saveSettings(options) {
  const response = await fetch(props.save, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      "X-CSRFToken": csrfToken(),
      "X-Requested-With": "XMLHttpRequest",
    },
    body: JSON.stringify({ options }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

function offEverywhere() {
  return Object.fromEntries(items.map((item) => [item.id, false]));
}

function SwitchRow({ item, value, onChange }) {
  return (
    <Box alignItems="center" display="flex" paddingY={3}>
      <Box flex="grow" marginEnd={6}>
        <Label htmlFor={item.id}>
          <Text weight="bold">{item.title}</Text>
          {item.help ? (
            <Box marginTop={1}>
              <Text color="subtle" size="200">
                {item.help}
              </Text>
            </Box>
          ) : null}
        </Label>
      </Box>
      <Switch
        disabled={item.disabled}
        id={item.id}
        onChange={({ value: switched }) => onChange(item.id, switched)}
        switched={value}
      />
    </Box>
  );
}

function CheckboxRow({ item, value, onChange }) {
  return (
    <Box paddingY={2}>
      <Checkbox
        checked={value}
        disabled={item.disabled}
        helperText={item.help || undefined}
        id={item.id}
        label={item.title}
        onChange={({ checked }) => onChange(item.id, checked)}
      />
    </Box>
  );
}

function Rows({ section, values, onChange }) {
  return section.items.map((item) => {
    const Row = item.kind === "checkbox" ? CheckboxRow : SwitchRow;
    return <Row key={item.id} item={item} onChange={onChange} value={values[item.id]} />;
  });
}

function Section({ section, values, onChange }) {
  const rows = <Rows onChange={onChange} section={section} values={values} />;
  if (section.collapsed) {
    // Closed until a person opens it: its controls are not in the page meanwhile.
    return (
      <Box marginBottom={6}>
        <Accordion.Expandable
          accessibilityCollapseLabel={`Hide ${section.heading}`}
          accessibilityExpandLabel={`Show ${section.heading}`}
          borderStyle="sm"
          id={`section-${section.heading}`}
          items={[{ title: section.heading, summary: section.intro ? [section.intro] : undefined, children: rows }]}
        />
      </Box>
    );
  }
  return (
    <Box as="section" marginBottom={8}>
      {section.heading ? (
        <Heading accessibilityLevel={2} size="400">
          {section.heading}
        </Heading>
      ) : null}
      {section.intro ? (
        <Box marginTop={1}>
          <Text color="subtle">{section.intro}</Text>
        </Box>
      ) : null}
      <Box marginTop={2}>{rows}</Box>
    </Box>
  );
}

function TabbedSections({ sections, values, onChange }) {
  const [active, setActive] = useState(0);
  return (
    <Flex direction="column" gap={4}>
      <Tabs
        activeTabIndex={active}
        onChange={({ activeTabIndex, dangerouslyDisableOnNavigation }) => {
          dangerouslyDisableOnNavigation();
          setActive(activeTabIndex);
        }}
        tabs={sections.map((section, index) => ({ href: `#tab-${index}`, text: section.heading }))}
      />
      <Section onChange={onChange} section={{ ...sections[active], heading: "" }} values={values} />
    </Flex>
  );
}

function SaveBar({ onReset, onSave, saving }) {
  return (
    <Box
      bottom
      color="default"
      dangerouslySetInlineStyle={{ __style: { boxShadow: "0 -1px 8px rgba(0,0,0,.12)", zIndex: 2 } }}
      left
      padding={4}
      position="fixed"
      right
    >
      <Flex gap={2} justifyContent="center">
        <Button color="gray" onClick={onReset} size="lg" text={props.messages.reset} />
        <Button color="red" disabled={saving} onClick={onSave} size="lg" text={props.saveLabel} />
      </Flex>
    </Box>
  );
}

function Notice({ toast }) {
  if (!toast) return null;
  return (
    <Layer>
      <Box
        dangerouslySetInlineStyle={{ __style: { bottom: 96, left: "50%", transform: "translateX(-50%)" } }}
        position="fixed"
      >
        <Toast text={toast.text} type={toast.error ? "error" : "default"} />
      </Box>
    </Layer>
  );
}

function SettingsPage() {
  const [values, setValues] = useState(offEverywhere);
  const [saved, setSaved] = useState(null); // the server's states, once they have arrived
  const [failed, setFailed] = useState(false);
  const [saving, setSaving] = useState(false);
  const [toast, setToast] = useState(null);
  const fields = useRef({});
  const toastTimer = useRef(null);

  useEffect(() => {
    loadSettings()
      .then((loaded) => {
        if (!loaded) return;
        const states = {};
        for (const item of loaded) {
          fields.current[item.id] = item.field;
          states[item.id] = item.value;
        }
        setValues((shown) => ({ ...shown, ...states }));
        setSaved(states);
      })
      .catch(() => setFailed(true));
  }, []);

  function notify(text, error) {
    clearTimeout(toastTimer.current);
    setToast({ text, error });
    toastTimer.current = setTimeout(() => setToast(null), 5000);
  }

  function saveNow(id, value) {
    const field = fields.current[id];
    if (!field) return; // the settings have not arrived: nothing to save yet, as on a page still loading
    setSaving(true);
    saveSettings({ [field]: value })
      .then(() => {
        setSaved((states) => ({ ...states, [id]: value }));
        notify(props.messages.saved, false);
      })
      .catch(() => {
        setValues((shown) => ({ ...shown, [id]: !value }));
        notify(props.messages.saveFailed, true);
      })
      .finally(() => setSaving(false));
  }

  function onChange(id, value) {
    setValues((shown) => ({ ...shown, [id]: value }));
    if (saveMode === "instant") saveNow(id, value);
  }

  const changed = saved ? Object.keys(saved).filter((id) => values[id] !== saved[id]) : [];

  function saveChanges() {
    const options = Object.fromEntries(changed.map((id) => [fields.current[id], values[id]]));
    setSaving(true);
    saveSettings(options)
      .then(() => {
        setSaved((states) => ({ ...states, ...Object.fromEntries(changed.map((id) => [id, values[id]])) }));
        notify(props.messages.saved, false);
      })
      .catch(() => {
        setValues((shown) => ({ ...shown, ...saved }));
        notify(props.messages.saveFailed, true);
      })
      .finally(() => setSaving(false));
  }

  return (
    <Box paddingY={2}>
      <Heading accessibilityLevel={1} size="500">
        {props.title}
      </Heading>
      {props.intro ? (
        <Box marginBottom={6} marginTop={2}>
          <Text color="subtle">{props.intro}</Text>
        </Box>
      ) : null}
      {failed ? (
        <Text>{props.messages.loadFailed}</Text>
      ) : props.tabs ? (
        <TabbedSections onChange={onChange} sections={props.sections} values={values} />
      ) : (
        props.sections.map((section, index) => (
          <Box key={section.heading || index}>
            {index > 0 && !section.collapsed ? <Divider /> : null}
            <Box marginTop={index > 0 ? 6 : 0}>
              <Section onChange={onChange} section={section} values={values} />
            </Box>
          </Box>
        ))
      )}
      {saveMode === "save_bar" && changed.length > 0 ? (
        <SaveBar onReset={() => setValues((shown) => ({ ...shown, ...saved }))} onSave={saveChanges} saving={saving} />
      ) : null}
      <Notice toast={toast} />
    </Box>
  );
}

createRoot(document.getElementById("__app")).render(<SettingsPage />);
