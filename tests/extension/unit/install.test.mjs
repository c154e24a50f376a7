import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { detectSystem, helperFile, installCommand, System, systemsInOrder } from "../../../extension/shared/install.js";

describe("detectSystem", () => {
  it("reads userAgentData where the browser has it", () => {
    assert.equal(detectSystem({ userAgentData: { platform: "macOS" }, platform: "Linux x86_64" }), System.MAC);
    assert.equal(detectSystem({ userAgentData: { platform: "Windows" } }), System.WINDOWS);
  });
  it("falls back to navigator.platform (Firefox)", () => {
    assert.equal(detectSystem({ platform: "MacIntel" }), System.MAC);
    assert.equal(detectSystem({ platform: "Win32" }), System.WINDOWS);
    assert.equal(detectSystem({ platform: "Linux x86_64" }), System.LINUX);
  });
  it("treats an unknown platform as Linux", () => assert.equal(detectSystem({}), System.LINUX));
});

describe("systemsInOrder", () => {
  it("puts the detected system first and keeps the others", () => {
    assert.deepEqual(systemsInOrder(System.LINUX), [System.LINUX, System.MAC, System.WINDOWS]);
    assert.deepEqual(systemsInOrder(System.WINDOWS), [System.WINDOWS, System.MAC, System.LINUX]);
  });
});

describe("installCommand", () => {
  it("installs the release's wheel from Downloads and registers it for every browser", () => {
    assert.equal(helperFile("1.2.3"), "optout-1.2.3-py3-none-any.whl");
    for (const system of Object.values(System)) {
      const command = installCommand(system, "1.2.3");
      assert.match(command, /Downloads[/\\]optout-1\.2\.3-py3-none-any\.whl/);
      assert.match(command, /(optout|-m native_host) install$/);
      assert.doesNotMatch(command, /--browser|--extension-id/);
    }
  });
  it("uses pipx on Linux, where pip refuses to install into the system's Python", () => {
    assert.match(installCommand(System.LINUX, "1.0.0"), /^sudo apt install -y pipx && pipx install /);
    assert.match(installCommand(System.MAC, "1.0.0"), /^python3 -m pip install --user /);
    assert.match(installCommand(System.WINDOWS, "1.0.0"), /^py -m pip install --user "\$HOME\\Downloads\\/);
  });
});
