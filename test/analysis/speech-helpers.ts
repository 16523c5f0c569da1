// Speech with known content, made with espeak-ng, and fake transcription servers on loopback that
// speak the real wire formats.
import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mediaTools } from '../../src/analysis/media.ts';
import { ffmpeg } from './media-helpers.ts';

const run = promisify(execFile);

export const espeakMissing =
  spawnSync('espeak-ng', ['--version']).status === 0 ? false : 'espeak-ng is not installed (apt-get install espeak-ng)';
if (espeakMissing && process.env.CI) throw new Error(espeakMissing);

/** Speech for `text`, with the synthesiser's leading and trailing silence cut off, at 16 kHz mono. */
export async function speak(dir: string, name: string, text: string, voice: 'en' | 'ko'): Promise<string> {
  const raw = join(dir, `${name}-raw.wav`);
  const trimmed = join(dir, `${name}.wav`);
  await run('espeak-ng', ['-v', voice, '-s', '150', '-w', raw, text]);
  const trim = 'silenceremove=start_periods=1:start_threshold=-45dB';
  await ffmpeg('-i', raw, '-af', `${trim},areverse,${trim},areverse`, '-ar', '16000', '-ac', '1', trimmed);
  return trimmed;
}

/** A file's audio as 16 kHz mono float samples. */
export async function samples(file: string): Promise<Float32Array> {
  const { stdout } = await run(
    mediaTools().ffmpeg,
    ['-v', 'error', '-i', file, '-ac', '1', '-ar', '16000', '-f', 'f32le', 'pipe:1'],
    {
      encoding: 'buffer',
      maxBuffer: 1 << 28,
    },
  );
  const out = new Float32Array(stdout.length / 4);
  new Uint8Array(out.buffer).set(stdout.subarray(0, out.length * 4));
  return out;
}

export const silence = (seconds: number) => new Float32Array(Math.round(seconds * 16000));

export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A local HTTP server; `reply` decides each answer. Closed after the test. */
export async function fakeServer(
  t: { after(fn: () => Promise<void> | void): void },
  reply: (request: RecordedRequest, response: ServerResponse) => void,
): Promise<{ url: string; requests: RecordedRequest[] }> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client hung up mid-request (an analysis stopped at its time limit): nothing to answer
    }
    const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(request);
    reply(request, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** The multipart form of a recorded request, parsed by the platform's own parser. */
export async function formOf(request: RecordedRequest): Promise<FormData> {
  return new Request('http://x/', {
    method: 'POST',
    headers: { 'content-type': String(request.headers['content-type']) },
    body: new Uint8Array(request.body),
  }).formData();
}
