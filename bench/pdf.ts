// /health latency while a big portfolio PDF is read: the real server in its own process (SQLite, logs
// at warn, page limit raised so that every page is read), a PDF of thousands of pages, /health polled
// every 10 ms during the upload. Prints figures; never fails on time.
// Usage: npm run bench:pdf [-- --pages 5000]
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { median, startBenchServer } from './server.ts';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '5000' } } });
const pages = Number(values.pages);
const dataDir = await mkdtemp(join(tmpdir(), 'ip-bench-pdf-'));
const server = await startBenchServer(dataDir, { PDF_MAX_PAGES: String(pages), PDF_PARSE_TIMEOUT_SEC: '600' });
const { baseUrl, call } = server;

/** Every page its own text, as a real long document has (the test's shared-page trick is lighter to read). */
async function longPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= pages; page++) {
    doc
      .addPage([400, 300])
      .drawText(`Page ${page}: built a payment API with Kotlin and PostgreSQL`, { x: 20, y: 150, font, size: 10 });
  }
  return doc.save();
}

async function healthMs(): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/health`);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`/health answered ${response.status}`);
  return performance.now() - started;
}

const figures = (latencies: number[]) =>
  `median ${median(latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} requests`;

try {
  const token = await server.signUp();
  const pdf = await longPdf();

  const idle: number[] = [];
  for (let i = 0; i < 50; i++) idle.push(await healthMs());
  const memoryBeforeMb = await server.memoryMb('VmHWM');

  const form = new FormData();
  form.append('file', new Blob([Buffer.from(pdf)], { type: 'application/pdf' }), 'long.pdf');
  const started = performance.now();
  let uploading = true;
  const uploaded = call<{ parsed_text: string }>('POST', '/api/portfolios/upload', token, form).finally(() => {
    uploading = false;
  });
  const during: number[] = [];
  while (uploading) {
    during.push(await healthMs());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const { parsed_text } = await uploaded;
  const uploadSec = (performance.now() - started) / 1000;

  console.log(`cores: ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown CPU'})`);
  console.log(
    `PDF: ${pages} pages, ${(pdf.length / 1024 / 1024).toFixed(2)} MB, ${parsed_text.length} characters of text read`,
  );
  console.log(`upload and read: ${uploadSec.toFixed(2)} s`);
  console.log(`/health idle:               ${figures(idle)}`);
  console.log(`/health during the upload:  ${figures(during)}`);
  const peakMb = await server.memoryMb('VmHWM');
  // The reading thread has ended by now; give the allocator a moment to hand its memory back.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  console.log(
    `server memory: peak ${memoryBeforeMb.toFixed(0)} MB before the upload, peak ${peakMb.toFixed(0)} MB during it, ${(await server.memoryMb('VmRSS')).toFixed(0)} MB resident 2 s after`,
  );
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
