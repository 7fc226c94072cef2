// The model thread's entry (see model-thread.ts): a worker thread starts without the tsx loader its parent registered,
// so it registers it, then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./model-thread-worker.ts");
