import { execFileSync } from 'node:child_process';
import { faceFeatures } from '../src/analysis/face-features.ts';
import { probe, readFrames } from '../src/analysis/media.ts';
import { loadFaceModel } from '../src/analysis/vision.ts';
const file = process.argv[2]!; const side = Number(process.argv[3] ?? 640);
const info = await probe(file); const model = await loadFaceModel();
let wait = 0, det = 0, feat = 0, n = 0; let t = performance.now();
for await (const frame of readFrames(file, info, { fps: 5, maxSide: side })) {
  const a = performance.now(); wait += a - t;
  const face = await model.detect(frame); const b = performance.now(); det += b - a;
  if (face) faceFeatures(face); t = performance.now(); feat += t - b; n++;
}
console.log(`side ${side}: frames ${n} wait ${(wait / n).toFixed(1)} detect ${(det / n).toFixed(1)} features ${(feat / n).toFixed(2)} ms/frame`);
