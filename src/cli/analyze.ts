// `npm run analyze -- <video> [--no-speech] [--timeline]`: the analysis pipeline on one file, with no
// server and no database. Progress goes to stderr, one JSON object to stdout.
import { parseArgs } from 'node:util';
import { ConfigError, loadAnalysisSettings, loadDotEnv, loadSpeechSettings } from '../config.ts';
import { analysisContext } from '../analysis/context.ts';
import { MediaError } from '../analysis/media.ts';
import { analyze, type Stage } from '../analysis/pipeline.ts';

const usage = 'usage: npm run analyze -- <video> [--no-speech] [--timeline]';
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { 'no-speech': { type: 'boolean', default: false }, timeline: { type: 'boolean', default: false } },
  });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const [file] = parsed.positionals;
if (!file || parsed.positionals.length > 1) {
  console.error(usage);
  process.exit(2);
}

// One line per stage and tenth of progress.
let lastReport = '';
const report = ({ stage, progress }: { stage: Stage; progress: number }) => {
  const line = `${stage} ${Math.floor(progress * 10) * 10}%`;
  if (line !== lastReport) process.stderr.write(`${line}\n`);
  lastReport = line;
};

loadDotEnv();
try {
  // Read before any work starts, so that a bad setting is reported at once.
  const context = analysisContext(loadAnalysisSettings(), parsed.values['no-speech'] ? null : loadSpeechSettings());
  const started = performance.now();
  let lastDownload = '';
  const onDownload = (name: string, progress: number) => {
    const line = `downloading ${name} ${Math.floor(progress * 10) * 10}%`;
    if (line !== lastDownload) process.stderr.write(`${line}\n`);
    lastDownload = line;
  };
  const result = await analyze(file, context, { onDownload, onProgress: report });
  process.stderr.write(
    `analysed ${result.video.duration_sec.toFixed(1)} s of video in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  const speechMeasures = result.metrics.speech;
  if (speechMeasures && speechMeasures.stt_status !== 'ok') {
    process.stderr.write(`transcript: ${speechMeasures.stt_status}: ${speechMeasures.stt_message}\n`);
  }
  const { timeline, ...withoutTimeline } = result;
  const output = parsed.values.timeline ? result : withoutTimeline;
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
} catch (error) {
  if (error instanceof MediaError) {
    console.error(`${error.code}: ${error.message}`);
    process.exit(1);
  }
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
