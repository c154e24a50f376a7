import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { disconnectError } from "../../../extension/background/host.js";

// What each browser says when a native port closes, and what the popup must make of it.
const CASES = [
  ["Chromium, no manifest", null, { message: "Specified native messaging host not found." }, "host_missing"],
  ["Firefox, no manifest", new Error("No such native application com.optout.host"), null, "host_missing"],
  ["Chromium, wrong extension id", null, { message: "Access to the specified native messaging host is forbidden." }, "host_forbidden"],
  [
    "Firefox, wrong add-on id",
    new Error("This extension does not have permission to use native application com.optout.host (or the application is not installed)"),
    null,
    "host_forbidden",
  ],
  ["Chromium, host died", null, { message: "Native host has exited." }, "host_failed"],
  ["Firefox, host died", new Error("An unexpected error occurred"), null, "host_failed"],
  ["no reason given", null, null, "host_failed"],
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
