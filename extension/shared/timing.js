// Marks on the page's or the worker's own performance timeline (User Timing), so bench/extension.py can
// say where the time of a popup open or an opt-out goes. A mark costs microseconds and stays in memory
// only as long as its page or worker does; nothing is stored or sent anywhere.

const PREFIX = "optout:";

export function mark(name) {
  performance.mark(PREFIX + name);
}

// The time `work` took, as a measure named `name` (several measures may share a name: a redraw each time).
export function timed(name, work) {
  const start = performance.now();
  const finish = () => performance.measure(PREFIX + name, { start, end: performance.now() });
  const value = work();
  if (value instanceof Promise) return value.finally(finish);
  finish();
  return value;
}
