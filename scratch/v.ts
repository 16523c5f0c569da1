import { probe, readFrames } from '../src/analysis/media.ts';
import { loadFaceModel } from '../src/analysis/vision.ts';
import { faceFeatures } from '../src/analysis/face-features.ts';
const file = process.argv[2]!;
const info = await probe(file);
const model = await loadFaceModel();
const t0 = Date.now(); let n = 0; const times: number[] = [];
for await (const f of readFrames(file, info, { fps: Number(process.argv[3] ?? 5), maxSide: Number(process.argv[4] ?? 640) })) {
  const s = performance.now();
  const face = await model.detect(f);
  times.push(performance.now() - s);
  n++;
  if (!face) { console.log(f.t.toFixed(2), 'no face'); continue; }
  const x = faceFeatures(face);
  console.log(f.t.toFixed(2), x.gaze.padEnd(6), 'ypr', x.yaw, x.pitch, x.roll, 'gz', x.gaze_yaw, x.gaze_pitch, 'eye', x.eye_openness, 'smile', x.smile, x.emotion, JSON.stringify(x.emotion_scores));
}
times.sort((a, b) => a - b);
console.log('frames', n, 'total ms', Date.now() - t0, 'median ms', times[Math.floor(times.length / 2)]?.toFixed(1));
