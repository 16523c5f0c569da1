// ffmpeg and ffprobe behind one interface: probe a file, stream sampled frames as raw RGB, read audio,
// remux a browser recording into a seekable file. Only the remux writes to disk, where it is told to.
import { spawn } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcessInBackground } from './priority.ts';

const require = createRequire(import.meta.url);

export class MediaError extends Error {
  constructor(
    readonly code: 'UNREADABLE_MEDIA' | 'NO_VIDEO_STREAM' | 'NO_AUDIO_STREAM' | 'DECODE_FAILED' | 'REMUX_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

/** The binaries shipped in npm packages, unless the settings (FFMPEG_PATH / FFPROBE_PATH) name others. */
export function mediaTools(paths: { ffmpegPath: string | null; ffprobePath: string | null } = NO_PATHS): MediaTools {
  return {
    ffmpeg: paths.ffmpegPath ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path,
    ffprobe: paths.ffprobePath ?? (require('@ffprobe-installer/ffprobe') as { path: string }).path,
  };
}

const NO_PATHS = { ffmpegPath: null, ffprobePath: null };

export interface VideoInfo {
  durationSec: number;
  /** Average frame rate of the video stream (0 when the container does not say). */
  fps: number;
  codec: string;
  /** Size as displayed: sample aspect ratio and rotation applied. */
  width: number;
  height: number;
  /** Clockwise rotation the player applies, from the display matrix or the rotate tag. */
  rotationDeg: number;
  hasAudio: boolean;
  audioCodec: string | null;
  container: string;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ rotation?: number | string }>;
  disposition?: { attached_pic?: number };
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { duration?: string; format_name?: string };
}

const PROBE_TIMEOUT_MS = 60_000;

function run(
  binary: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    runProcessInBackground(child.pid);
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}

/**
 * The last line a tool wrote on stderr, fit for an API reply: without the paths of the files it was
 * given (ffmpeg starts its messages with the input's path, a server path under DATA_DIR).
 */
function lastErrorLine(stderr: string, files: string[]): string {
  let line = stderr.trim().split('\n').pop() ?? '';
  for (const file of files) line = line.replaceAll(`${file}: `, '').replaceAll(file, 'the file');
  return line;
}

const ratio = (value: string | undefined): number => {
  const [num, den] = (value ?? '').split(/[/:]/).map(Number);
  return num && den ? num / den : 0;
};

const number = (value: string | undefined): number => {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
};

function rotationOf(stream: ProbeStream): number {
  const fromMatrix = stream.side_data_list?.find((data) => data.rotation !== undefined)?.rotation;
  // The display matrix states counter-clockwise degrees; the legacy tag states clockwise ones.
  const clockwise = fromMatrix !== undefined ? -Number(fromMatrix) : number(stream.tags?.rotate);
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

/** Last packet time of a stream: the duration of files whose header has none (browser WebM). */
async function durationFromPackets(tools: MediaTools, file: string, stream = 'v:0'): Promise<number> {
  const { stdout } = await run(
    tools.ffprobe,
    [
      '-v',
      'error',
      '-select_streams',
      stream,
      '-show_entries',
      'packet=pts_time,duration_time',
      '-of',
      'csv=p=0',
      file,
    ],
    PROBE_TIMEOUT_MS,
  );
  let end = 0;
  for (const line of stdout.toString().split('\n')) {
    const [pts, duration] = line.split(',').map(Number);
    if (Number.isFinite(pts)) end = Math.max(end, pts! + (Number.isFinite(duration) ? duration! : 0));
  }
  return end;
}

/** What ffprobe says of a file, or UNREADABLE_MEDIA. */
async function probeFormat(
  file: string,
  tools: MediaTools,
): Promise<ProbeOutput & { format: NonNullable<ProbeOutput['format']> }> {
  const result = await run(
    tools.ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    PROBE_TIMEOUT_MS,
  );
  let parsed: ProbeOutput;
  try {
    parsed = JSON.parse(result.stdout.toString()) as ProbeOutput;
  } catch {
    parsed = {};
  }
  if (result.code !== 0 || !parsed.format) {
    const reason = lastErrorLine(result.stderr, [file]) || `ffprobe exited with ${result.code}`;
    throw new MediaError('UNREADABLE_MEDIA', `Not a readable media file: ${reason}`);
  }
  return parsed as ProbeOutput & { format: NonNullable<ProbeOutput['format']> };
}

export async function probe(file: string, tools: MediaTools): Promise<VideoInfo> {
  const parsed = await probeFormat(file, tools);
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic && s.width && s.height);
  if (!video) throw new MediaError('NO_VIDEO_STREAM', 'The file has no video stream');
  const audio = streams.find((s) => s.codec_type === 'audio');

  const rotationDeg = rotationOf(video);
  const sar = ratio(video.sample_aspect_ratio) || 1;
  const displayWidth = Math.round(video.width! * sar);
  const sideways = rotationDeg === 90 || rotationDeg === 270;
  let durationSec = number(parsed.format.duration) || number(video.duration);
  if (durationSec <= 0) durationSec = await durationFromPackets(tools, file);
  return {
    durationSec,
    fps: ratio(video.avg_frame_rate) || ratio(video.r_frame_rate),
    codec: video.codec_name ?? 'unknown',
    width: sideways ? video.height! : displayWidth,
    height: sideways ? displayWidth : video.height!,
    rotationDeg,
    hasAudio: audio !== undefined,
    audioCodec: audio?.codec_name ?? null,
    container: parsed.format.format_name ?? 'unknown',
  };
}

export interface AudioInfo {
  durationSec: number;
  codec: string;
  /** ffprobe's format names, e.g. `matroska,webm`, `ogg`, `wav`, `mp3`, `mov,mp4,m4a,3gp,3g2,mj2`. */
  container: string;
}

/** A file's first audio stream: its length, codec and container; NO_AUDIO_STREAM when it has none. */
export async function probeAudio(file: string, tools: MediaTools): Promise<AudioInfo> {
  const parsed = await probeFormat(file, tools);
  const audio = (parsed.streams ?? []).find((s) => s.codec_type === 'audio');
  if (!audio) throw new MediaError('NO_AUDIO_STREAM', 'The file has no audio stream');
  let durationSec = number(parsed.format.duration) || number(audio.duration);
  if (durationSec <= 0) durationSec = await durationFromPackets(tools, file, 'a:0');
  return { durationSec, codec: audio.codec_name ?? 'unknown', container: parsed.format.format_name ?? 'unknown' };
}

/** Size that keeps the aspect ratio, fits `maxSide`, and has even sides (what the scaler needs). */
export function frameSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const even = (value: number) => Math.max(2, Math.round((value * scale) / 2) * 2);
  return { width: even(width), height: even(height) };
}

export interface Frame {
  /** Presentation time of the source frame, seconds from the start. */
  t: number;
  width: number;
  height: number;
  /** width × height × 3 bytes, row-major RGB. */
  rgb: Buffer;
}

export interface FrameOptions {
  fps: number;
  maxSide: number;
  /** Skip frames nothing refers to when the source has at least this many frames per sample. */
  skipUnreferencedFromRatio?: number;
  /** Only frames from this time on, and before `endSec` (for splitting work). */
  startSec?: number;
  endSec?: number;
  /**
   * Reuse frame buffers: a frame's pixels stay as they are only until this many more frames have been
   * taken. For a consumer that keeps no frame longer (the face stage keeps one, for its scene-change test).
   */
  reuseBuffersAfter?: number;
}

/**
 * The first frame of every 1/fps-second slot, with its real timestamp, upright (rotation applied),
 * scaled, streamed from one ffmpeg process as raw RGB. When unreferenced frames are skipped, a slot can
 * be left without a decoded frame (a long run of B-frames without a pyramid, a slow stretch of a
 * variable-rate video): such slots are decoded again in full, so every slot with a frame has one.
 */
export async function* readFrames(
  file: string,
  info: VideoInfo,
  options: FrameOptions,
  tools: MediaTools,
): AsyncGenerator<Frame> {
  const fps = options.fps;
  const skipping =
    options.skipUnreferencedFromRatio !== undefined && info.fps >= options.skipUnreferencedFromRatio * fps;
  if (!skipping) {
    yield* decodeFrames(file, info, options, false, tools);
    return;
  }
  const start = options.startSec ?? 0;
  const slotOf = (t: number) => Math.floor((t - start) * fps + 1e-6);
  const inFull = (fromSlot: number, toSlot: number) =>
    decodeFrames(
      file,
      info,
      { ...options, startSec: start + fromSlot / fps, endSec: start + toSlot / fps },
      false,
      tools,
    );
  let next = 0;
  for await (const frame of decodeFrames(file, info, options, true, tools)) {
    const slot = slotOf(frame.t);
    if (slot > next) yield* inFull(next, slot);
    yield frame;
    next = slot + 1;
  }
  const end = Math.min(options.endSec ?? Infinity, info.durationSec > 0 ? info.durationSec : Infinity);
  const slots = Math.ceil((end - start) * fps - 1e-6);
  if (Number.isFinite(end) && next < slots) yield* inFull(next, slots);
}

async function* decodeFrames(
  file: string,
  info: VideoInfo,
  options: FrameOptions,
  skipUnreferenced: boolean,
  tools: MediaTools,
): AsyncGenerator<Frame> {
  const { width, height } = frameSize(info.width, info.height, options.maxSide);
  const fps = options.fps;
  const filters = [
    `select='isnan(prev_selected_t)+gte(floor(t*${fps})-floor(prev_selected_t*${fps}),1)'`,
    `scale=${width}:${height}`,
    // showinfo sums every pixel of what it sees: after scaling that is a quarter as many. (Scaling while
    // still YUV would save as much again, but it changes the pixels enough to move smiles by 0.05.)
    'showinfo',
    'setsar=1',
  ].join(',');
  const start = options.startSec ?? 0;
  // To the end means to the duration the file declares (and a second more): a file that declares one
  // second and holds hours is not read for hours.
  const end = options.endSec ?? (info.durationSec > 0 ? info.durationSec + 1 : undefined);
  const range = [
    ...(skipUnreferenced ? ['-skip_frame', 'noref'] : []),
    ...(start > 0 ? ['-ss', String(start)] : []),
    ...(end !== undefined ? ['-t', String(end - start)] : []),
  ];
  // ffmpeg's bytes are read into one buffer of ours (see frameSocket) and copied into frame buffers:
  // fresh ones, or with `reuseBuffersAfter` the ones the consumer no longer keeps.
  const frameBytes = width * height * 3;
  const free: Buffer[] = [];
  const given: Buffer[] = [];
  const ready: Buffer[] = [];
  let frame: Buffer = Buffer.allocUnsafe(frameBytes);
  let filled = 0;
  let ended = false;
  // Reading stops (the callback said so) while the consumer has frames enough, and ffmpeg waits.
  let paused = false;
  let wakeReader: (() => void) | undefined;
  const output = await frameSocket((bytes) => {
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(frameBytes - filled, bytes.length - offset);
      bytes.copy(frame, filled, offset, offset + take);
      filled += take;
      offset += take;
      if (filled === frameBytes) {
        ready.push(frame);
        frame = free.pop() ?? Buffer.allocUnsafe(frameBytes);
        filled = 0;
      }
    }
    wakeReader?.();
    paused = ready.length >= FRAMES_READ_AHEAD;
    return !paused;
  });
  output.reader.on('close', () => {
    ended = true;
    wakeReader?.();
  });
  output.reader.on('error', () => {}); // the end of the stream; ffmpeg's exit code says why
  const child = spawn(
    tools.ffmpeg,
    [
      '-nostdin',
      '-hide_banner',
      '-nostats',
      '-loglevel',
      'info',
      '-threads',
      '1',
      ...range,
      '-i',
      file,
      '-an',
      '-sn',
      '-vf',
      filters,
      '-vsync',
      '0',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { stdio: ['ignore', output.childEnd, 'pipe'] },
  );
  output.childEnd.destroy(); // the child has its own copy
  runProcessInBackground(child.pid);
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.on('error', () => {}); // surfaced through the exit code and stderr below

  // showinfo prints each selected frame's time on stderr, in the same order as the frames on stdout.
  const times: number[] = [];
  let stderrTail = '';
  let stderrDone = false;
  let wake: (() => void) | undefined;
  let partialLine = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (partialLine + chunk).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      const match = /showinfo.*pts_time:\s*(-?[\d.]+)/.exec(line);
      if (match) times.push(Number(match[1]) + start);
      else stderrTail = (stderrTail + line + '\n').slice(-4000);
    }
    wake?.();
  });
  child.stderr.on('end', () => {
    stderrDone = true;
    wake?.();
  });
  const timeOf = async (index: number): Promise<number> => {
    while (times.length <= index && !stderrDone) await new Promise<void>((resolve) => (wake = resolve));
    return times[index] ?? start + index / fps;
  };

  let index = 0;
  try {
    for (;;) {
      while (ready.length === 0 && !ended) await new Promise<void>((resolve) => (wakeReader = resolve));
      const rgb = ready.shift();
      if (!rgb) break;
      if (paused) {
        paused = false;
        output.reader.resume();
      }
      yield { t: await timeOf(index), width, height, rgb };
      index += 1;
      // The frame given `reuseBuffersAfter` frames before the one now asked for is no longer kept.
      given.push(rgb);
      if (options.reuseBuffersAfter !== undefined && given.length > options.reuseBuffersAfter)
        free.push(given.shift()!);
    }
    const code = await exited;
    if (code !== 0) {
      throw new MediaError(
        'DECODE_FAILED',
        `ffmpeg could not decode the video (exit ${code}): ${lastErrorLine(stderrTail, [file])}`,
      );
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    output.reader.destroy();
  }
}

/** Decoded frames waiting for the consumer before ffmpeg is made to wait. */
const FRAMES_READ_AHEAD = 2;

/**
 * A connected Unix socket: one end for ffmpeg's output, the other read by us into one buffer of ours,
 * handed to `onBytes` (which returns false to pause). A pipe would be read into a fresh 64 KB buffer per
 * read, and faulting those pages in cost about 2 ms of the face thread's CPU per frame.
 */
async function frameSocket(onBytes: (bytes: Buffer) => boolean): Promise<{ reader: Socket; childEnd: Socket }> {
  const dir = await mkdtemp(join(tmpdir(), 'ip-frames-'));
  const path = join(dir, 'frames.sock');
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const reader = connect({
      path,
      onread: { buffer: readBuffer, callback: (bytes) => onBytes(readBuffer.subarray(0, bytes)) },
    });
    await new Promise<void>((resolve, reject) => {
      reader.once('connect', resolve);
      reader.once('error', reject);
    });
    const childEnd = await accepted;
    childEnd.pause(); // nothing comes this way; ffmpeg writes into it
    return { reader, childEnd };
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const READ_BUFFER_BYTES = 1 << 20;

export const AUDIO_SAMPLE_RATE = 16_000;

/** The whole audio track as 16 kHz mono float samples, or null when there is none. */
export async function readAudio(
  file: string,
  info: Pick<VideoInfo, 'hasAudio' | 'durationSec'>,
  tools: MediaTools,
  /** Read no further than this; a container may declare less than it holds. Default: its duration + 1 s. */
  maxSec = info.durationSec + 1,
): Promise<Float32Array | null> {
  if (!info.hasAudio) return null;
  const timeoutMs = Math.ceil(60_000 + info.durationSec * 1000);
  const child = spawn(
    tools.ffmpeg,
    [
      '-nostdin',
      '-v',
      'error',
      '-i',
      file,
      '-vn',
      '-ac',
      '1',
      '-ar',
      String(AUDIO_SAMPLE_RATE),
      '-f',
      'f32le',
      '-t',
      String(maxSec),
      'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs },
  );
  runProcessInBackground(child.pid);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  // Each piece is copied into one array sized from the duration as it arrives, so the audio is never
  // held twice (all the pieces, then the joined copy). Should the duration fall short, the array grows.
  let bytes = new Uint8Array(Math.ceil((info.durationSec + 1) * AUDIO_SAMPLE_RATE) * 4);
  let filled = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    if (filled + chunk.length > bytes.length) {
      const grown = new Uint8Array(Math.ceil(((filled + chunk.length) * 1.25) / 4) * 4);
      grown.set(bytes.subarray(0, filled));
      bytes = grown;
    }
    bytes.set(chunk, filled);
    filled += chunk.length;
  });
  const code = await exited;
  if (code !== 0) {
    throw new MediaError('DECODE_FAILED', `ffmpeg could not decode the audio: ${lastErrorLine(stderr, [file])}`);
  }
  return new Float32Array(bytes.buffer, 0, Math.floor(filled / 4));
}

// A stream copy runs at disk speed; this only stops a stuck process.
const REMUX_TIMEOUT_MS = 10 * 60_000;

export type SeekableFormat = 'webm' | 'mp4';

/**
 * Copies a recording's streams, without re-encoding, into a new file of the same format at `output`.
 * A browser's MediaRecorder writes as a stream: WebM with no Duration and no Cues (seek index), MP4 in
 * fragments; players cannot seek in the first and often know no duration for the second. ffmpeg
 * writing to a regular file writes the index (MP4: one `moov` box, moved to the front).
 */
export async function remuxToSeekable(
  input: string,
  output: string,
  format: SeekableFormat,
  tools: MediaTools,
): Promise<void> {
  const container = format === 'mp4' ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', 'webm'];
  const { code, stderr } = await run(
    tools.ffmpeg,
    ['-nostdin', '-v', 'error', '-y', '-i', input, '-c', 'copy', ...container, output],
    REMUX_TIMEOUT_MS,
  );
  if (code !== 0) {
    throw new MediaError(
      'REMUX_FAILED',
      `ffmpeg could not remux the video (exit ${code}): ${lastErrorLine(stderr, [input, output])}`,
    );
  }
}

/** Whether an MP4 is written in fragments (top-level `moof` boxes), as MediaRecorder writes it. */
export async function isFragmentedMp4(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(16);
    // Top-level boxes only: a few reads, however long the file.
    for (let position = 0, boxes = 0; position + 8 <= size && boxes < 10_000; boxes++) {
      await handle.read(header, 0, 16, position);
      const type = header.toString('latin1', 4, 8);
      if (type === 'moof') return true;
      const boxSize = header.readUInt32BE(0);
      const length = boxSize === 1 ? Number(header.readBigUInt64BE(8)) : boxSize;
      if (length < 8) return false; // 0: the box runs to the end of the file
      position += length;
    }
    return false;
  } finally {
    await handle.close();
  }
}
