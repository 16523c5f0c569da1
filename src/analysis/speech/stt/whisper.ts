// Local Whisper through @huggingface/transformers on onnxruntime-node. The model is read from
// WHISPER_MODEL_DIR, or downloaded once into DATA_DIR/models on first use; the pipeline is loaded
// once per process. (transformers.js takes no initial prompt, so fillers are not primed here.)
import { basename, dirname } from 'node:path';
import { languageCode, SttUnavailable, type SttEngine, type Transcript } from './types.ts';

interface AsrChunk {
  timestamp: [number, number | null];
  text: string;
}
type AsrPipeline = (
  audio: Float32Array,
  options: Record<string, unknown>,
) => Promise<{ text: string; chunks?: AsrChunk[]; language?: string }>;

export interface WhisperOptions {
  model: string;
  modelDir: string | null;
  cacheDir: string;
  /** Download progress, 0..1, for files fetched on first use. */
  onDownload?: (file: string, progress: number) => void;
}

const loaded = new Map<string, Promise<AsrPipeline>>();

async function load(options: WhisperOptions): Promise<AsrPipeline> {
  const { env, pipeline } = await import('@huggingface/transformers');
  env.cacheDir = options.cacheDir;
  let id = options.model;
  if (options.modelDir) {
    env.localModelPath = `${dirname(options.modelDir)}/`;
    env.allowRemoteModels = false;
    id = basename(options.modelDir);
  }
  const asr = await pipeline('automatic-speech-recognition', id, {
    device: 'cpu',
    dtype: 'q8',
    progress_callback: (event: { status: string; file?: string; progress?: number }) => {
      if (event.status === 'progress' && event.file) options.onDownload?.(event.file, (event.progress ?? 0) / 100);
    },
  });
  return asr as unknown as AsrPipeline;
}

export function whisperEngine(options: WhisperOptions): SttEngine {
  const key = options.modelDir ?? options.model;
  const model = options.modelDir ? basename(options.modelDir) : options.model;
  return {
    name: 'whisper',
    model,
    async transcribe(audio, { language, signal }): Promise<Transcript> {
      let asrPromise = loaded.get(key);
      if (!asrPromise) {
        asrPromise = load(options);
        loaded.set(key, asrPromise);
        asrPromise.catch(() => loaded.delete(key)); // a later call may find the network or the folder
      }
      let asr: AsrPipeline;
      try {
        asr = await asrPromise;
      } catch (error) {
        const where = options.modelDir ? `the folder ${options.modelDir}` : `the cache ${options.cacheDir}, and downloading it failed`;
        throw new SttUnavailable(
          `Whisper model "${model}" is not available (not in ${where}: ${(error as Error).message.split('\n')[0]}). ` +
            'Set WHISPER_MODEL_DIR to a local copy of the model, or choose another STT_ENGINE.',
        );
      }
      signal.throwIfAborted();
      const output = await asr(audio, {
        task: 'transcribe',
        ...(language ? { language } : {}),
        return_timestamps: true,
        chunk_length_s: 30,
        stride_length_s: 5,
      });
      return {
        text: output.text.trim(),
        language: languageCode(output.language) ?? language,
        segments: (output.chunks ?? []).map((chunk) => ({
          start: chunk.timestamp[0],
          end: chunk.timestamp[1] ?? chunk.timestamp[0],
          text: chunk.text.trim(),
        })),
        words: null,
      };
    },
  };
}
