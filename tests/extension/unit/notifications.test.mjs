import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";

import { CLICK_ACTION, NoticeAction, NotificationId, show } from "../../../extension/background/notifications.js";
import { fakeI18n } from "./locales.mjs";

// A notifications API that, like Firefox's, refuses the `buttons` option, or, like Chromium's, takes it.
function fakeChrome({ buttons }) {
  const created = [];
  globalThis.chrome = {
    i18n: fakeI18n("en"),
    runtime: { getURL: (path) => `moz-extension://test/${path}` },
    notifications: {
      create: async (id, options) => {
        if (options.buttons && !buttons) throw new Error("Type error for parameter options: Property \"buttons\" is unsupported");
        created.push({ id, ...options });
        return id;
      },
    },
  };
  return created;
}

afterEach(() => delete globalThis.chrome);

describe("notification clicks", () => {
  it("every notice does something when its body is clicked", () => {
    for (const id of Object.values(NotificationId)) {
      assert.ok(Object.values(NoticeAction).includes(CLICK_ACTION[id]), `${id} has no click action`);
    }
  });
  it("a drift notice fixes, a new-settings notice opens Options, a logged-out notice logs in", () => {
    assert.equal(CLICK_ACTION[NotificationId.DRIFT], NoticeAction.FIX);
    assert.equal(CLICK_ACTION[NotificationId.NEW_SETTINGS], NoticeAction.OPEN_OPTIONS);
    assert.equal(CLICK_ACTION[NotificationId.LOGGED_OUT], NoticeAction.LOG_IN);
  });
});

describe("show", () => {
  it("keeps the buttons where the browser has them", async () => {
    const created = fakeChrome({ buttons: true });
    await show(NotificationId.DRIFT, "Pinterest changed your settings", "It turned one back on.", ["Fix now"]);
    assert.equal(created.length, 1);
    assert.deepEqual(created[0].buttons, [{ title: "Fix now" }]);
    assert.equal(created[0].message, "It turned one back on.");
  });
  it("without buttons, still shows the notice and says what a click does", async () => {
    const created = fakeChrome({ buttons: false });
    await show(NotificationId.DRIFT, "Pinterest changed your settings", "It turned one back on.", ["Fix now"]);
    assert.equal(created.length, 1);
    assert.equal(created[0].buttons, undefined);
    assert.equal(created[0].message, "It turned one back on. Click to fix it now.");
  });
  it("tells a logged-out person that a click logs in", async () => {
    const created = fakeChrome({ buttons: false });
    await show(NotificationId.LOGGED_OUT, "Log in to Pinterest", "Optout could not check your settings.", ["Log in"]);
    assert.match(created[0].message, /Click to log in\.$/);
  });
});
