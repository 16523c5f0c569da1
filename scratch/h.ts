import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
const require = createRequire(import.meta.url);
const humanDir = dirname(require.resolve('@vladmandic/human'));
const H = require(join(humanDir, 'human.node-wasm.js'));
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: any, init?: any) => {
  const url = typeof input === 'string' ? input : input.url ?? String(input);
  if (url.startsWith('file://')) {
    const data = await readFile(new URL(url));
    return new Response(data, { headers: { 'content-type': url.endsWith('.json') ? 'application/json' : 'application/octet-stream' } });
  }
  return realFetch(input, init);
}) as any;
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) ;
console.log(wasmDir);
const human = new H.Human({
  backend: 'wasm', wasmPath: 'file://' + join(wasmDir, '/'), modelBasePath: 'file://' + join(humanDir, '..', 'models', '/'),
  debug: false, cacheSensitivity: 0,
  face: { enabled: true, detector: { rotation: true, maxDetected: 1 }, mesh: { enabled: true }, iris: { enabled: true }, emotion: { enabled: true }, description: { enabled: false }, antispoof: { enabled: false }, liveness: { enabled: false } },
  body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, gesture: { enabled: false }, segmentation: { enabled: false },
});
const t0 = Date.now();
await human.load(); await human.warmup?.();
console.log('load', Date.now() - t0, human.tf.getBackend());
for (const f of (process.argv[2] ? [process.argv[2]] : ['face_frontal_d.jpg', 'face_frontal_smile_a.jpg', 'face_frontal_smile_b.jpg', 'face_frontal_speaking_c.jpg'])) {
  const path = f.startsWith('/') ? f : '../shared/fixtures/' + f;
  const info = execFileSync(require('@ffprobe-installer/ffprobe').path, ['-v', 'error', '-select_streams', 'v', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path]).toString().trim().split(',').map(Number);
  let [w, h] = info as [number, number];
  const scale = Math.min(1, 640 / Math.max(w, h)); w = Math.round(w * scale / 2) * 2; h = Math.round(h * scale / 2) * 2;
  const rgb = execFileSync(require('@ffmpeg-installer/ffmpeg').path, ['-v', 'error', '-i', path, '-vf', `scale=${w}:${h}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1e8 });
  const tensor = human.tf.tensor3d(new Int32Array(rgb), [h, w, 3], 'int32');
  const t1 = Date.now();
  const r = await human.detect(tensor);
  tensor.dispose();
  const face = r.face[0];
  if (!face) { console.log(f, 'no face'); continue; }
  const m = face.mesh;
  const d = (a: number, b: number) => Math.hypot(m[a][0] - m[b][0], m[a][1] - m[b][1]);
  const deg = (x: number) => (x * 180 / Math.PI).toFixed(1);
  console.log(f, w, h, Date.now() - t1, 'ms', 'score', face.score.toFixed(2), 'mesh', m.length,
    'ypr', deg(face.rotation.angle.yaw), deg(face.rotation.angle.pitch), deg(face.rotation.angle.roll),
    'gaze', face.rotation.gaze.bearing.toFixed(2), face.rotation.gaze.strength.toFixed(2),
    'emo', JSON.stringify(face.emotion.map((e: any) => [e.emotion, +e.score.toFixed(2)])),
    'mouthW/eye', (d(61, 291) / d(33, 263)).toFixed(3), 'lipgap', (d(13, 14) / d(33, 263)).toFixed(3),
    'cornerLift', (((m[13][1] + m[14][1]) / 2 - (m[61][1] + m[291][1]) / 2) / d(33, 263)).toFixed(3),
    'noseX', ((m[1][0] - (m[234][0] + m[454][0]) / 2) / (m[454][0] - m[234][0])).toFixed(3), 'noseY', ((m[1][1] - (m[159][1]+m[386][1])/2) / (m[152][1] - (m[159][1]+m[386][1])/2)).toFixed(3), 'eyeOpen', (d(159, 145) / d(33, 133)).toFixed(3), (d(386, 374) / d(263, 362)).toFixed(3));
}
