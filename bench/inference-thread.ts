// bench:vision's inference thread: runs the face chain over frames decoded beforehand and reports the
// median time a frame, so that inference can be timed on one core and on two at once.
import { parentPort, workerData } from 'node:worker_threads';
import type { Frame } from '../src/analysis/media.ts';
import { loadFaceModel } from '../src/analysis/vision.ts';

const { frames, runs } = workerData as { frames: Array<Omit<Frame, 'rgb'> & { rgb: Uint8Array }>; runs: number };
const decoded: Frame[] = frames.map((frame) => ({ ...frame, rgb: Buffer.from(frame.rgb) }));
const model = await loadFaceModel();
for (const frame of decoded.slice(0, 10)) await model.detect(frame); // warm-up
// Waits for the go, so that threads meant to run side by side start together.
parentPort!.once('message', () => {
  void (async () => {
    const msPerFrame: number[] = [];
    for (let run = 0; run < runs; run++) {
      model.reset();
      const started = performance.now();
      for (const frame of decoded) await model.detect(frame);
      msPerFrame.push((performance.now() - started) / decoded.length);
    }
    parentPort!.postMessage(msPerFrame.sort((a, b) => a - b)[msPerFrame.length >> 1]);
  })();
});
parentPort!.postMessage('ready');
