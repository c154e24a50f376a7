// Alarm handlers, notification buttons and popup requests can overlap; everything that reads,
// changes and writes chrome.storage goes through one queue so no update is lost.

let tail = Promise.resolve();

export function serialized(task) {
  const result = tail.then(task);
  tail = result.catch(() => {});
  return result;
}
