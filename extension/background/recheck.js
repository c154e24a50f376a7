// The re-check alarm: off, daily or weekly; a test can set an exact period in minutes.

import { RECHECK_ALARM, RECHECK_MINUTES } from "../shared/config.js";

export function recheckMinutes(preferences) {
  if (typeof preferences.recheckMinutes === "number" && preferences.recheckMinutes > 0) return preferences.recheckMinutes;
  return RECHECK_MINUTES[preferences.recheck] ?? RECHECK_MINUTES.daily;
}

export async function scheduleRecheck(preferences) {
  const minutes = recheckMinutes(preferences);
  const existing = await chrome.alarms.get(RECHECK_ALARM);
  if (minutes === 0) {
    if (existing) await chrome.alarms.clear(RECHECK_ALARM);
    return;
  }
  if (existing?.periodInMinutes === minutes) return;
  await chrome.alarms.create(RECHECK_ALARM, { delayInMinutes: minutes, periodInMinutes: minutes });
}
