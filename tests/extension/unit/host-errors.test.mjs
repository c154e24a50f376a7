import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { disconnectError } from "../../../extension/background/host.js";

// What each browser says when a native port closes, and what the popup must make of it.
const CASES = [
  ["Chromium, no manifest", null, { message: "Specified native messaging host not found." }, "host_missing"],
  ["Firefox, no manifest", new Error("No such native application com.optout.host"), null, "host_missing"],
  ["Chromium, wrong extension id", null, { message: "Access to the specified native messaging host is forbidden." }, "host_forbidden"],
  // Firefox does not tell a wrong allowed_extensions apart from a missing manifest; the install command fixes both.
  ["Firefox, wrong add-on id", new Error("No such native application com.optout.host"), null, "host_missing"],
  ["Chromium, host died", null, { message: "Native host has exited." }, "host_failed"],
  ["Firefox, host ended", null, null, "host_failed"],
  ["Firefox, host wrote too much", new Error("Native application tried to send a message of 2000000 bytes, which exceeds the limit of 1048576 bytes."), null, "host_failed"],
];

describe("disconnectError", () => {
  for (const [name, portError, lastError, kind] of CASES) {
    it(`${name}: ${kind}`, () => {
      assert.equal(disconnectError(portError, lastError).kind, kind);
    });
  }
  it("prefers Firefox's port.error over a stale runtime.lastError", () => {
    const error = disconnectError(new Error("No such native application com.optout.host"), { message: "Native host has exited." });
    assert.equal(error.kind, "host_missing");
    assert.equal(error.message, "No such native application com.optout.host");
  });
  it("says the helper stopped when no browser gave a reason", () => {
    assert.match(disconnectError().message, /stopped/);
  });
});
