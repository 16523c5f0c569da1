// Speech stage speed: VAD + acoustic measures (no transcription) as a real-time factor, and local
// Whisper's when WHISPER_MODEL_DIR holds a model. Prints figures; never fails on time.
// Usage: npm run bench:speech [-- --runs 5]
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadAnalysisSettings, loadSpeechSettings } from '../src/config.ts';
import { mediaTools, probe, readAudio } from '../src/analysis/media.ts';
import { analyzeSpeech } from '../src/analysis/speech/index.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const tools = mediaTools(loadAnalysisSettings()); // FFMPEG_PATH / FFPROBE_PATH, as the server reads them
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[numbers.length >> 1]!;

const dir = await mkdtemp(join(tmpdir(), 'ip-bench-speech-'));
try {
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
