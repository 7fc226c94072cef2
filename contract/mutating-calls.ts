// The calls that change a value in place, as extract and lint both judge a cell that changes another cell's value:
// one list, so `extract` passing the changed value on and lint's `no-cross-cell-mutation` always agree.

/**
 * Methods that change their receiver: arrays, maps, sets and typed arrays; TF.js models (compiling sets the
 * optimizer, training changes the weights, `add` a layer); fitted transformers (danfojs's `StandardScaler.fit`, a
 * notebook's own `scaler.fit(rows)`).
 */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  "push",
  "pop",
  "shift",
  "unshift",
  "splice",
  "sort",
  "reverse",
  "fill",
  "copyWithin",
  "set",
  "add",
  "delete",
  "clear",
  "compile",
  "fit",
  "fitDataset",
  "trainOnBatch",
  "setWeights",
  "resetStates",
]);

/** Functions that change their first argument, as a notebook calls them (TF.js imported as `tf`, as its docs do). */
export const MUTATING_FUNCTIONS: ReadonlySet<string> = new Set([
  "Object.assign",
  "Object.defineProperty",
  "Object.defineProperties",
  "Object.setPrototypeOf",
  "tf.util.shuffle",
  "tf.util.shuffleCombo",
]);
