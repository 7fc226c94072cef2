/**
 * Class instances saved as JSON: a `json` dataset keeps an instance's fields (a fitted scaler's mean and deviation);
 * loading it gives plain data. `reviveInstance` gives that data its class again, as pickle restores an object: the
 * prototype is set, the constructor does not run. Generated pipeline code calls it where such a dataset is read.
 */

/** `value` as an instance of `Class`: itself when it already is one (a value passed in memory), else the loaded fields with `Class`'s prototype. */
export function reviveInstance<T extends object>(Class: abstract new (...args: never[]) => T, value: T): T {
  if (value instanceof Class) return value;
  if (typeof value !== "object" || value === null)
    throw new TypeError(
      `cannot make ${value === null ? "null" : typeof value} an instance of ${Class.name}: the saved value is not an object`,
    );
  return Object.setPrototypeOf(value, Class.prototype as object) as T;
}
