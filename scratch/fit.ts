import { probe, readFrames } from '../src/analysis/media.ts';
import { loadFaceModel } from '../src/analysis/vision.ts';
const model = await loadFaceModel();
const rows: number[][] = [];
for (const name of ['video_talking_male_en_5s.mp4', 'video_talking_female_en_8s.mp4', 'video_webcam_expressions_nospeech_20s.mp4']) {
  const file = '../shared/fixtures/' + name; const info = await probe(file);
  for await (const f of readFrames(file, info, { fps: 5, maxSide: 640 })) {
    const face = await model.detect(f); if (!face) continue;
    const m = face.mesh;
    const a = m[33]!, b = m[263]!; const d = Math.hypot(b[0]-a[0], b[1]-a[1]); const ax = [(b[0]-a[0])/d, (b[1]-a[1])/d]; const dn = [-ax[1]!, ax[0]!];
    const off = (o: number, i: number, ir: number) => { const c = [(m[o]![0]+m[i]![0])/2, (m[o]![1]+m[i]![1])/2]; const hw = Math.hypot(m[o]![0]-m[i]![0], m[o]![1]-m[i]![1])/2; const p = m[ir]!; return [((p[0]-c[0]!)*ax[0]! + (p[1]-c[1]!)*ax[1]!)/hw, ((p[0]-c[0]!)*dn[0]! + (p[1]-c[1]!)*dn[1]!)/hw]; };
    const r = off(33, 133, 473), l = off(263, 362, 468);
    rows.push([Math.sin(face.rotation.yaw), Math.sin(-face.rotation.pitch), (r[0]!+l[0]!)/2, (r[1]!+l[1]!)/2]);
  }
}
function fit(xi: number, yi: number) { const n = rows.length; let sx=0, sy=0, sxx=0, sxy=0; for (const r of rows) { sx+=r[xi]!; sy+=r[yi]!; sxx+=r[xi]!*r[xi]!; sxy+=r[xi]!*r[yi]!; } const b = (n*sxy - sx*sy)/(n*sxx - sx*sx); const a = (sy - b*sx)/n; let res=0; for (const r of rows) res += (r[yi]! - a - b*r[xi]!)**2; return { a: a.toFixed(3), b: b.toFixed(3), rmse: Math.sqrt(res/n).toFixed(3), meanY: (sy/n).toFixed(3) }; }
console.log('n', rows.length, 'across ~ sin(yaw)', fit(0, 2), 'down ~ sin(pitchUp)', fit(1, 3));
