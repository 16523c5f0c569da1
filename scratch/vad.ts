import { probe, readAudio } from '../src/analysis/media.ts';
import { speechProbabilities, speechStretches, pausesBetween } from '../src/analysis/speech/vad.ts';
const f = process.argv[2]!; const info = await probe(f).catch(() => null);
const { execFileSync } = await import('node:child_process');
const raw = execFileSync('node_modules/@ffmpeg-installer/linux-x64/ffmpeg', ['-v', 'error', '-i', f, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-'], { maxBuffer: 1e9 });
const audio = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
const t0 = performance.now(); const p = await speechProbabilities(audio); const t1 = performance.now();
const s = speechStretches(p); console.log('dur', (audio.length / 16000).toFixed(2), 'vad ms', (t1 - t0).toFixed(0), JSON.stringify(s), JSON.stringify(pausesBetween(s)));
