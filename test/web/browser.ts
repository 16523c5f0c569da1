// Browser-test harness: Debian's Chromium driven by playwright-core, with a fake camera and
// microphone playing files made from the test fixtures. Without Chromium the browser tests skip with
// a message, except on CI, where that is a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { mediaTools } from '../../src/analysis/media.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export const chromiumMissing =
  existsSync(CHROMIUM_PATH) && spawnSync(CHROMIUM_PATH, ['--version']).status === 0
    ? false
    : `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`;
if (chromiumMissing && process.env.CI) throw new Error(`The browser tests need Chromium on CI: ${chromiumMissing}`);

/** A y4m video of a talking face and a wav of speech, for Chromium's fake capture devices. */
export function fakeDeviceFiles(dir: string): { video: string; audio: string } {
  const video = join(dir, 'camera.y4m');
  const audio = join(dir, 'microphone.wav');
  execFileSync(mediaTools().ffmpeg, [
    '-v',
    'error',
    '-y',
    '-i',
    join(FIXTURES, 'video_talking_female_en_8s.mp4'),
    '-vf',
    'fps=15',
    '-pix_fmt',
    'yuv420p',
    video,
  ]);
  execFileSync(mediaTools().ffmpeg, [
    '-v',
    'error',
    '-y',
    '-i',
    join(FIXTURES, 'speech_en_jfk_11s.wav'),
    '-ar',
    '48000',
    '-ac',
    '1',
    audio,
  ]);
  return { video, audio };
}

const COMMON_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Media keeps playing in a background tab; autoplay needs no gesture.
  '--autoplay-policy=no-user-gesture-required',
];

export interface LaunchOptions {
  devices?: { video: string; audio: string };
  /** Refuse the camera and microphone, as a user clicking "Block" would. */
  denyCamera?: boolean;
}

export async function launch({ devices, denyCamera = false }: LaunchOptions = {}): Promise<Browser> {
  const flags = [...COMMON_FLAGS, '--use-fake-device-for-media-stream'];
  if (denyCamera) flags.push('--deny-permission-prompts');
  else flags.push('--use-fake-ui-for-media-stream');
  if (devices)
    flags.push(
      `--use-file-for-fake-video-capture=${devices.video}`,
      `--use-file-for-fake-audio-capture=${devices.audio}`,
    );
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: flags });
}

/** A page context with a window size and the app's language chosen by `?lang=` on first load. */
export async function newContext(browser: Browser, { width = 1280, height = 860 } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height }, locale: 'ko-KR' });
}
