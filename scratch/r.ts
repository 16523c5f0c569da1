import { probe, readFrames } from '../src/analysis/media.ts';
const info = await probe('/tmp/phone.mp4'); console.log(info);
for await (const f of readFrames('/tmp/phone.mp4', info, { fps: 5, maxSide: 640 })) { console.log(f.width, f.height, f.t); break; }
