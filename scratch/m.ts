import { probe, readFrames, readAudio } from '../src/analysis/media.ts';
const file = process.argv[2]!;
const info = await probe(file);
console.log(info);
const t0 = Date.now(); let n = 0; const ts: number[] = [];
for await (const f of readFrames(file, info, { fps: 5, maxSide: 640 })) { n++; ts.push(f.t); if (n === 1) console.log(f.width, f.height, f.rgb.length); }
console.log('frames', n, 'ms', Date.now() - t0, ts.slice(0, 8).map(t => t.toFixed(3)).join(' '), '...', ts.at(-1));
const a = await readAudio(file, info); console.log('audio', a?.length, a && a.length / 16000);
