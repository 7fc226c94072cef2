/** The public API of @cellforge/runtime. */
export { useFastestBackend, BackendError, type BackendName, type BackendReport } from "./tfjs/backend.ts";
