// Speech stage: the syllable-nuclei estimate against clips whose syllables are known, then its speed:
// VAD + acoustic measures (no transcription) as a real-time factor, and local Whisper's when
// WHISPER_MODEL_DIR holds a model. Prints figures; never fails on time or error.
// Usage: npm run bench:speech [-- --runs 5] [-- --syllables '{"syllable_min_dip_db":2}' to try other thresholds]
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadAnalysisSettings, loadSpeechSettings } from '../src/config.ts';
import { mediaTools, probe, readAudio } from '../src/analysis/media.ts';
import { acousticFrames, countSyllableNuclei } from '../src/analysis/speech/acoustic.ts';
import { analyzeSpeech } from '../src/analysis/speech/index.ts';
import { speechProbabilities, speechStretches } from '../src/analysis/speech/vad.ts';
import { SPEECH_THRESHOLDS } from '../src/analysis/thresholds.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, syllables: { type: 'string', default: '{}' } },
});
const runs = Number(values.runs);
const tools = mediaTools(loadAnalysisSettings()); // FFMPEG_PATH / FFPROBE_PATH, as the server reads them
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[numbers.length >> 1]!;

const fixtures = join('test', 'fixtures');

/** A file's audio as 16 kHz mono samples, through an optional ffmpeg filter. */
async function audioOf(file: string, filter?: string): Promise<Float32Array> {
  const { stdout } = await promisify(execFile)(
    tools.ffmpeg,
    [
      '-v',
      'error',
      '-i',
      file,
      ...(filter ? ['-af', filter] : []),
      '-ac',
      '1',
      '-ar',
      '16000',
      '-f',
      'f32le',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 1 << 28 },
  );
  return new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + (stdout.length & ~3)));
}

// Syllables counted by hand, one count per word:
// JFK: And(1) so(1) my(1) fel·low(2) A·mer·i·cans(4), ask(1) not(1) what(1) your(1) coun·try(2) can(1) do(1)
// for(1) you(1), ask(1) what(1) you(1) can(1) do(1) for(1) your(1) coun·try(2) = 28.
// LJ Speech: un·less(2) a(1) sys·tem(2) is(1) es·tab·lished(3) for(1) the(1) fre·quent(2) for·mal(2) re·view(2)
// of(1) ac·tiv·i·ties(4) there·un·der(3). in(1) this(1) re·gard(2) = 29.
// espeak-ng, the speech test's sentences: English 11 + 9 + 9 = 29; Korean 15 + 12 + 15 = 42.
const NATURAL = [
  { name: 'JFK inaugural, 11 s', file: join(fixtures, 'speech_en_jfk_11s.wav'), syllables: 28 },
  { name: 'LJ Speech LJ050-0131, 8 s', file: join(fixtures, 'speech_en_ljspeech_8s.wav'), syllables: 29 },
];
const ESPEAK = {
  en: [
    'The quick brown fox jumps over the lazy dog.',
    'I have worked on three backend projects.',
    'We reduced the response time by half.',
  ],
  ko: ['저는 백엔드 개발자로 지원했습니다.', '결제 시스템을 만들었습니다.', '팀과 함께 성능을 두 배 개선했습니다.'],
};
const ESPEAK_SYLLABLES = { en: 29, ko: 42 };

async function syllableCalibration(dir: string) {
  const thresholds = { ...SPEECH_THRESHOLDS.acoustic, ...(JSON.parse(values.syllables!) as object) };
  const estimate = async (audio: Float32Array) => {
    const stretches = speechStretches(await speechProbabilities(audio));
    const speakingSec = stretches.reduce((sum, s) => sum + s.end_sec - s.start_sec, 0);
    return { nuclei: countSyllableNuclei(acousticFrames(audio, stretches), thresholds), speakingSec };
  };
  const clips: { name: string; kind: string; audio: Float32Array; syllables: number | null }[] = [];
  for (const clip of NATURAL) {
    clips.push({ ...clip, kind: 'natural', audio: await audioOf(clip.file) });
    // The same syllables said faster (WSOLA keeps the pitch): a stand-in for fast speech, not the real thing.
    for (const tempo of [1.3, 1.6])
      clips.push({
        ...clip,
        name: `${clip.name} ×${tempo}`,
        kind: 'natural, sped up',
        audio: await audioOf(clip.file, `atempo=${tempo}`),
      });
  }
  if (spawnSync('espeak-ng', ['--version']).status === 0) {
    for (const [voice, speed] of [
      ['en', 150],
      ['ko', 150],
      ['ko', 300],
    ] as const) {
      const wav = join(dir, `espeak-${voice}-${speed}.wav`);
      await promisify(execFile)('espeak-ng', ['-v', voice, '-s', String(speed), '-w', wav, ESPEAK[voice].join(' ')]);
      clips.push({
        name: `espeak-ng ${voice}, ${speed} words/min`,
        kind: 'synthetic',
        audio: await audioOf(wav),
        syllables: ESPEAK_SYLLABLES[voice],
      });
    }
  }
  for (const file of ['video_talking_female_en_8s.mp4', 'video_talking_male_en_5s.mp4'])
    clips.push({
      name: file,
      kind: 'natural, no transcript',
      audio: await audioOf(join(fixtures, file)),
      syllables: null,
    });

  console.log(
    `syllable nuclei (smoothing ${thresholds.syllable_smoothing_frames} frames, dip ${thresholds.syllable_min_dip_db} dB, peaks within ${thresholds.syllable_peak_max_below_top_db} dB of the top):`,
  );
  const errors: { kind: string; error: number }[] = [];
  for (const clip of clips) {
    const { nuclei, speakingSec } = await estimate(clip.audio);
    const rate = (count: number) => (count / speakingSec).toFixed(2);
    if (clip.syllables === null) {
      console.log(
        `  ${clip.name.padEnd(34)} ${clip.kind.padEnd(22)} estimated ${nuclei} (${rate(nuclei)}/s); true count unknown`,
      );
      continue;
    }
    const error = (nuclei - clip.syllables) / clip.syllables;
    errors.push({ kind: clip.kind, error });
    console.log(
      `  ${clip.name.padEnd(34)} ${clip.kind.padEnd(22)} true ${clip.syllables} (${rate(clip.syllables)}/s), estimated ${nuclei} (${rate(nuclei)}/s): ${error >= 0 ? '+' : ''}${(100 * error).toFixed(0)}%`,
    );
  }
  const worst = (kinds: string[]) => {
    const chosen = errors.filter((e) => kinds.includes(e.kind)).map((e) => Math.abs(e.error));
    return chosen.length ? `±${(100 * Math.max(...chosen)).toFixed(0)}%` : 'n/a';
  };
  console.log(
    `  largest error: natural ${worst(['natural'])}, natural and sped up ${worst(['natural', 'natural, sped up'])}, synthetic ${worst(['synthetic'])}`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'ip-bench-speech-'));
try {
  await syllableCalibration(dir);

  // The 8 s talking-head fixture played four times: 32 s of continuous English speech with pauses.
  const video = join(dir, 'talking-32s.mp4');
  await promisify(execFile)(tools.ffmpeg, [
    '-v',
    'error',
    '-stream_loop',
    '3',
    '-i',
    join('test', 'fixtures', 'video_talking_female_en_8s.mp4'),
    '-c',
    'copy',
    video,
  ]);
  const info = await probe(video, tools);
  const audio = (await readAudio(video, info, tools))!;
  const duration = audio.length / 16000;
  console.log(
    `bench:speech — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}; ${duration.toFixed(1)} s of speech; median of ${runs} runs`,
  );

  const acousticOnly = loadSpeechSettings({ DATA_DIR: dir, STT_ENGINE: 'none' });
  let started = performance.now();
  await analyzeSpeech(audio, duration, acousticOnly);
  const coldSec = (performance.now() - started) / 1000;
  const seconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    started = performance.now();
    await analyzeSpeech(audio, duration, acousticOnly);
    seconds.push((performance.now() - started) / 1000);
  }
  console.log(
    `VAD + pauses + loudness + pitch + syllable nuclei: ${median(seconds).toFixed(3)} s = real-time factor ${(median(seconds) / duration).toFixed(4)}` +
      ` (first run with model loading ${coldSec.toFixed(3)} s; runs ${seconds.map((s) => s.toFixed(3)).join(', ')} s)`,
  );

  if (process.env.WHISPER_MODEL_DIR) {
    // STT_LANGUAGE is read too: without it, the runs include language detection.
    const whisper = loadSpeechSettings({ ...process.env, DATA_DIR: dir, STT_ENGINE: 'whisper' });
    const transcribe = async () => {
      const begun = performance.now();
      const result = await analyzeSpeech(audio, duration, whisper);
      if (result.speech.stt_status !== 'ok') throw new Error(result.speech.stt_message ?? 'whisper failed');
      return (performance.now() - begun) / 1000;
    };
    const whisperCold = await transcribe();
    const whisperSeconds: number[] = [];
    for (let run = 0; run < runs; run++) whisperSeconds.push(await transcribe());
    console.log(
      `with local Whisper (${whisper.whisperModelDir}, language ${whisper.language ?? 'detected'}): ` +
        `real-time factor ${(median(whisperSeconds) / duration).toFixed(3)} (first run with model loading ${whisperCold.toFixed(1)} s)`,
    );
  } else {
    console.log('local Whisper: not measured (set WHISPER_MODEL_DIR to a local model folder)');
  }
  console.log(`peak memory of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
