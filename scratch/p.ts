import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { probe, readFrames } from '../src/analysis/media.ts';
import { loadFaceModel } from '../src/analysis/vision.ts';
await loadFaceModel(); // installs file fetch
const require = createRequire(import.meta.url);
const humanDist = dirname(require.resolve('@vladmandic/human'));
const { Human } = require(join(humanDist, 'human.node-wasm.js'));
const cfg = JSON.parse(process.argv[3] ?? '{}');
const human = new Human({ backend: 'wasm', debug: false, wasmPath: pathToFileURL(dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))).href + '/', modelBasePath: pathToFileURL(join(humanDist, '..', 'models')).href + '/',
  face: { enabled: true, detector: { rotation: true, maxDetected: 1, ...(cfg.detector ?? {}) }, mesh: { enabled: true }, iris: { enabled: cfg.iris ?? true }, emotion: { enabled: cfg.emotion ?? true, skipFrames: 0, skipTime: 0 }, description: { enabled: false }, antispoof: { enabled: false }, liveness: { enabled: false } },
  body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, gesture: { enabled: false }, segmentation: { enabled: false }, filter: { enabled: false }, cacheSensitivity: cfg.cache ?? 0.7 });
await human.load();
const file = process.argv[2]!; const info = await probe(file);
const times: number[] = []; const perf: Record<string, number[]> = {};
for await (const f of readFrames(file, info, { fps: 5, maxSide: cfg.side ?? 640 })) {
  const tensor = human.tf.tensor3d(new Int32Array(f.rgb), [f.height, f.width, 3], 'int32');
  const s = performance.now(); const r = await human.detect(tensor); times.push(performance.now() - s); tensor.dispose();
  for (const [k, v] of Object.entries(r.performance ?? {})) (perf[k] ??= []).push(v as number);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!.toFixed(1);
console.log(JSON.stringify(cfg), 'median', med(times), Object.entries(perf).map(([k, v]) => `${k}=${med(v)}`).join(' '));
