// Worker threads do not get tsx's loader from the parent; this plain-JS entry loads the TypeScript one.
import { tsImport } from 'tsx/esm/api';

await tsImport('./face-worker.ts', import.meta.url);
