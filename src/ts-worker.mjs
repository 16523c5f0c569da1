// Worker threads do not get tsx's loader from the parent; this plain-JS entry loads the TypeScript
// module named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
