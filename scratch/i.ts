import { probe, readFrames } from '../src/analysis/media.ts';
import { loadFaceModel } from '../src/analysis/vision.ts';
const file = process.argv[2]!;
const info = await probe(file);
const model = await loadFaceModel();
let k = 0;
for await (const f of readFrames(file, info, { fps: 1, maxSide: 640 })) {
  const face = await model.detect(f); if (!face) continue;
  const m = face.mesh; const mid = (a: number, b: number) => [(m[a]![0] + m[b]![0]) / 2, (m[a]![1] + m[b]![1]) / 2];
  const R = mid(33, 133), L = mid(263, 362);
  const fmt = (p: any) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`;
  console.log(f.t.toFixed(1), 'R eye', fmt(R), 'L eye', fmt(L), '468', fmt(m[468]), '473', fmt(m[473]), '469-472', [469,470,471,472].map(i => fmt(m[i])).join(' '), 'halfW', (Math.hypot(m[33]![0]-m[133]![0], m[33]![1]-m[133]![1])/2).toFixed(1));
  if (++k > 4) break;
}
