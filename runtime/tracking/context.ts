/**
 * The public tracking API pipeline code imports (`@cellforge/runtime/tracking`): `log`, `logMetric`
 * and the run scope, which live in the events layer so that the runner and the tracking store share
 * them without importing each other.
 */
export { currentRunScope, log, logMetric, withRunScope, type RunScope } from "../events/run-scope.ts";
