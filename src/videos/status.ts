import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { JobRecords } from '../jobs/queue.ts';
import { faceModelInfo } from '../analysis/vision.ts';

/** What GET /api/video/status reports: never a path, a key or a secret. */
export async function videoStatus(config: Config, jobs: JobRecords) {
  const speech = config.speech;
  const configured = [
    ...(speech.openaiUrl ? ['openai'] : []),
    ...(speech.gemini.apiKeys.length ? ['gemini'] : []),
    'whisper',
  ];
  // transformers.js keeps downloads under <cacheDir>/<model id>/.
  const whisperLocal = speech.whisperModelDir !== null || existsSync(join(speech.cacheDir, speech.whisperModel));
  const face = faceModelInfo();
  return {
    gemini_api_enabled: config.gemini.apiKeys.length > 0,
    // What is tried first; a result's own feedback_mode says what was actually used.
    feedback_mode:
      config.gemini.apiKeys.length > 0 ? `gemini (${config.gemini.model}), rules as fallback` : 'rule-based',
    speech_engine: speech.engine,
    speech_engines_configured: speech.engine === 'auto' ? configured : speech.engine === 'none' ? [] : [speech.engine],
    whisper_model: speech.whisperModelDir ? speech.whisperModelDir.split('/').pop()! : speech.whisperModel,
    whisper_model_local: whisperLocal,
    face_model: `${face.vision_model} ${face.vision_version}`,
    face_workers: config.analysis.faceWorkers,
    analysis_concurrency: config.analysisConcurrency,
    queue: await jobs.depth(),
  };
}
