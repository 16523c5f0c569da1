// Fixture media and ffmpeg-made variants with known answers.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { analysisContext } from '../../src/analysis/context.ts';
import { mediaTools } from '../../src/analysis/media.ts';
import { loadAnalysisSettings } from '../../src/config.ts';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A file of test/fixtures (copied from the project's shared fixtures; see SOURCES.md there). */
export const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);

export const TALKING_MALE = fixture('video_talking_male_en_5s.mp4');
export const TALKING_FEMALE = fixture('video_talking_female_en_8s.mp4');
export const WEBCAM_EXPRESSIONS = fixture('video_webcam_expressions_nospeech_20s.mp4');

/** The shipped ffmpeg and ffprobe, and an analysis set up as the server is by default (no speech). */
export const TOOLS = mediaTools();
export const CONTEXT = analysisContext(loadAnalysisSettings({}), null);

export async function ffmpeg(...args: string[]): Promise<void> {
  await run(TOOLS.ffmpeg, ['-nostdin', '-v', 'error', '-y', ...args], { maxBuffer: 1 << 24 });
}

/** `source` through an ffmpeg video filter, without sound, as a quickly encoded H.264 `file`. */
export async function filtered(source: string, filter: string, file: string, ...extra: string[]): Promise<string> {
  await ffmpeg('-i', source, '-vf', filter, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', ...extra, file);
  return file;
}

/** A temporary folder removed after the test. */
export async function scratchDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ip-media-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The talking-head clip stored turned 90° clockwise, as phones store portrait video, with a display
 * matrix that turns it upright. (This ffmpeg build writes the `rotate=90` tag as a counter-clockwise
 * display matrix, which is what the stored picture needs.)
 */
export async function sidewaysWithDisplayMatrix(dir: string): Promise<string> {
  const sideways = join(dir, 'sideways.mp4');
  const tagged = join(dir, 'phone.mp4');
  await ffmpeg(
    '-i',
    TALKING_MALE,
    '-t',
    '2',
    '-vf',
    'scale=320:240,setsar=1,transpose=1',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    sideways,
  );
  await ffmpeg('-i', sideways, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', tagged);
  return tagged;
}
