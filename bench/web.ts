// The web app's weight and speed: JavaScript size (gzip), and in Chromium the time until the review
// page of a 10-minute answer (a 3,000-frame timeline, really analysed) is drawn and the time one seek
// takes to move the playhead. Prints figures; never fails on time. Usage: npm run bench:web [-- --runs 5]
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { mediaTools } from '../src/analysis/media.ts';
import { ensureWebBuilt } from '../src/cli/build-web.ts';
import { WEB_DIST_DIR } from '../src/http/web-app.ts';
import { CHROMIUM_PATH } from '../test/web/browser.ts';
import { median, startBenchServer, tenMinuteVideo } from './server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

await ensureWebBuilt();
const assets = join(WEB_DIST_DIR, 'assets');
let jsGzip = 0;
let jsRaw = 0;
for (const name of (await readdir(assets)).filter((file) => file.endsWith('.js'))) {
  const bytes = await readFile(join(assets, name));
  jsRaw += bytes.length;
  jsGzip += gzipSync(bytes, { level: 9 }).length;
}
console.log(`bench:web — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}`);
console.log(`JavaScript: ${(jsRaw / 1024).toFixed(1)} KB, ${(jsGzip / 1024).toFixed(1)} KB gzip (goal ≤ 200 KB gzip)`);

const dir = await mkdtemp(join(tmpdir(), 'ip-bench-web-'));
const long = await tenMinuteVideo(mediaTools().ffmpeg, dir);
const server = await startBenchServer(dir, { STT_ENGINE: 'none' });
const { baseUrl, call } = server;
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
try {
  const token = await server.signUp();
  const session = await call<{ id: string }>('POST', '/api/interviews/sessions', token, { generate_questions: false });
  const question = await call<{ id: string }>('POST', `/api/interviews/sessions/${session.id}/questions`, token, {
    text: '자기소개 부탁드립니다.',
  });
  const form = new FormData();
  form.append('session_id', session.id);
  form.append('question_id', question.id);
  form.append('file', new Blob([await readFile(long)]), 'answer.mp4');
  const video = await call<{ video_id: string }>('POST', '/api/video/upload', token, form);
  console.log('analysing the 10-minute answer (about two minutes on two cores)…');
  await call('POST', `/api/video/analyze/${video.video_id}`, token);
  const frames = (await call<{ timeline: unknown[] }>('GET', `/api/video/results/${video.video_id}`, token)).timeline
    .length;

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript((value) => localStorage.setItem('interview-practice.token', value), token);
  const page = await context.newPage();
  const drawn: number[] = [];
  for (let run = 0; run <= runs; run++) {
    await page.goto(`${baseUrl}/videos/${video.video_id}`);
    await page.waitForFunction(() => performance.getEntriesByName('timeline-drawn').length > 0, undefined, {
      timeout: 60_000,
    });
    const at = await page.evaluate(() => performance.getEntriesByName('timeline-drawn')[0]!.startTime);
    if (run > 0) drawn.push(at); // the first load fills the browser's cache
  }
  console.log(
    `review page of the 10-minute answer (${frames} frames) drawn: median ${median(drawn).toFixed(0)} ms after navigation (runs ${drawn.map((ms) => ms.toFixed(0)).join(', ')}; goal ≤ 1000 ms)`,
  );

  // One seek: a pointer press on the timeline until the playhead has moved and a frame was painted,
  // and until the player has the new frame (its `seeked` event).
  const seeks = await page.evaluate(async (count) => {
    const slider = document.querySelector<HTMLElement>('.lanes')!;
    const playhead = document.querySelector<HTMLElement>('.playhead')!;
    const video = document.querySelector<HTMLVideoElement>('video[aria-label]')!;
    const box = slider.getBoundingClientRect();
    const painted: number[] = [];
    const seeked: number[] = [];
    for (let i = 0; i < count; i++) {
      const x = box.left + (((i * 37) % 100) / 100) * box.width + 1;
      const before = playhead.style.transform;
      const started = performance.now();
      const videoSeeked = new Promise<number>((resolve) => {
        video.addEventListener('seeked', () => resolve(performance.now() - started), { once: true });
        setTimeout(() => resolve(-1), 3000);
      });
      slider.dispatchEvent(
        new PointerEvent('pointerdown', {
          clientX: x,
          clientY: box.top + 10,
          bubbles: true,
          pointerId: 1,
          isPrimary: true,
        }),
      );
      slider.dispatchEvent(
        new PointerEvent('pointerup', {
          clientX: x,
          clientY: box.top + 10,
          bubbles: true,
          pointerId: 1,
          isPrimary: true,
        }),
      );
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      if (playhead.style.transform !== before) painted.push(performance.now() - started);
      const ms = await videoSeeked;
      if (ms >= 0) seeked.push(ms);
    }
    return { painted, seeked };
  }, 30);
  console.log(
    `one seek (press on the timeline → playhead moved and painted): median ${median(seeks.painted).toFixed(1)} ms over ${seeks.painted.length} seeks (goal ≤ 50 ms)`,
  );
  console.log(
    `  … → the player has the new frame (seeked): median ${median(seeks.seeked).toFixed(1)} ms over ${seeks.seeked.length} seeks`,
  );
} finally {
  await browser.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
