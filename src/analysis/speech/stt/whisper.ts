// Local Whisper through @huggingface/transformers on onnxruntime-node. The model is read from
// WHISPER_MODEL_DIR, or downloaded once into DATA_DIR/models on first use; it is loaded once per
// process. We drive the model ourselves rather than through the ASR pipeline, for two things the
// pipeline lacks: it does not detect the language (it silently assumes English), and it cannot take
// an initial prompt (a prompt passed as decoder input ends up in its transcript). Decoding is primed
// with a short text full of fillers, which keeps Whisper from tidying them away.
import { basename, dirname } from 'node:path';
import { SPEECH_THRESHOLDS } from '../../thresholds.ts';
import { languageCode, SttUnavailable, type SttEngine, type Transcript } from './types.ts';

const SAMPLE_RATE = 16_000;
// Whisper hears 30 s at a time; windows overlap by 5 s on each side and the overlaps are merged.
const WINDOW_SEC = 30;
const STRIDE_SEC = 5;

/** The parts of a loaded transformers.js Whisper that we use. */
interface TensorLike {
  data: ArrayLike<number | bigint>;
  tolist(): unknown[];
}
interface WhisperParts {
  processor: { feature_extractor(audio: Float32Array): Promise<{ input_features: TensorLike }> };
  model: {
    (inputs: { input_features: TensorLike; decoder_input_ids: TensorLike }): Promise<{ logits: TensorLike }>;
    generate(options: {
      inputs: TensorLike;
      decoder_input_ids: number[];
      return_timestamps: true;
    }): Promise<TensorLike>;
    generation_config: {
      decoder_start_token_id: number;
      lang_to_id?: Record<string, number>;
      task_to_id?: Record<string, number>;
    };
    config: { max_source_positions: number };
  };
  tokenizer: {
    encode(text: string, options: { add_special_tokens: boolean }): number[];
    convert_tokens_to_ids(tokens: string[]): (number | undefined)[];
    _decode_asr(
      chunks: { tokens: bigint[]; stride: [number, number, number] }[],
      options: { time_precision: number; return_timestamps: true; force_full_sequences: boolean },
    ): [string, { chunks?: { timestamp: [number | null, number | null]; text: string }[] }];
  };
}
type TensorClass = new (type: 'int64', data: BigInt64Array, dims: number[]) => TensorLike;

export interface WhisperOptions {
  model: string;
  modelDir: string | null;
  cacheDir: string;
  /** Download progress, 0..1, for files fetched on first use. */
  onDownload?: (file: string, progress: number) => void;
}

interface LoadedWhisper {
  parts: WhisperParts;
  Tensor: TensorClass;
}

const loaded = new Map<string, Promise<LoadedWhisper>>();

async function load(options: WhisperOptions): Promise<LoadedWhisper> {
  const { env, pipeline, Tensor } = await import('@huggingface/transformers');
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
  return { parts: asr as unknown as WhisperParts, Tensor: Tensor as unknown as TensorClass };
}

/** Whisper's own way: one decoder step after <|startoftranscript|>, the likeliest language token wins. */
async function detectLanguage({ parts, Tensor }: LoadedWhisper, features: TensorLike): Promise<string> {
  const { lang_to_id: languages = {}, decoder_start_token_id: start } = parts.model.generation_config;
  const { logits } = await parts.model({
    input_features: features,
    decoder_input_ids: new Tensor('int64', BigInt64Array.of(BigInt(start)), [1, 1]),
  });
  let best: [string, number] | null = null;
  for (const [token, id] of Object.entries(languages)) {
    const score = Number(logits.data[id]);
    if (!best || score > best[1]) best = [token, score];
  }
  if (!best)
    throw new SttUnavailable('this Whisper model has no language tokens; set STT_LANGUAGE or use a multilingual model');
  return best[0].slice(2, -2);
}

/** The tokens before <|startoftranscript|>: <|startofprev|> and the filler prompt, when we have one. */
function primingTokens(parts: WhisperParts, language: string): number[] {
  const prompt = SPEECH_THRESHOLDS.filler_prompt[language as keyof typeof SPEECH_THRESHOLDS.filler_prompt];
  const [previous] = parts.tokenizer.convert_tokens_to_ids(['<|startofprev|>']);
  if (!prompt || previous === undefined) return [];
  return [previous, ...parts.tokenizer.encode(` ${prompt}`, { add_special_tokens: false })];
}

function initialTokens(parts: WhisperParts, language: string): number[] {
  const config = parts.model.generation_config;
  const languageToken = config.lang_to_id?.[`<|${language}|>`];
  const transcribe = config.task_to_id?.transcribe;
  if (languageToken === undefined || transcribe === undefined) {
    throw new SttUnavailable(`this Whisper model cannot transcribe the language "${language}"`);
  }
  return [config.decoder_start_token_id, languageToken, transcribe];
}

async function transcribeWith(
  whisper: LoadedWhisper,
  audio: Float32Array,
  forced: string | null,
  signal: AbortSignal,
): Promise<Transcript> {
  const { parts } = whisper;
  const window = WINDOW_SEC * SAMPLE_RATE;
  const stride = STRIDE_SEC * SAMPLE_RATE;
  let language = forced;
  let decoderStart: number[] = [];
  let primingLength = 0;
  const chunks: Parameters<WhisperParts['tokenizer']['_decode_asr']>[0] = [];
  for (let offset = 0; ; offset += window - 2 * stride) {
    signal.throwIfAborted();
    const piece = audio.subarray(offset, offset + window);
    const isFirst = offset === 0;
    const isLast = offset + window >= audio.length;
    const { input_features: features } = await parts.processor.feature_extractor(piece);
    if (isFirst) {
      language ??= await detectLanguage(whisper, features);
      const priming = primingTokens(parts, language);
      decoderStart = [...priming, ...initialTokens(parts, language)];
      primingLength = priming.length;
    }
    const output = await parts.model.generate({
      inputs: features,
      decoder_input_ids: decoderStart,
      return_timestamps: true,
    });
    // The sequence repeats its decoder input; the prompt must not reach the transcript.
    const tokens = (output.tolist()[0] as bigint[]).slice(primingLength);
    chunks.push({
      tokens,
      stride: [piece.length / SAMPLE_RATE, isFirst ? 0 : STRIDE_SEC, isLast ? 0 : STRIDE_SEC],
    });
    if (isLast) break;
  }
  const [text, { chunks: segments = [] }] = parts.tokenizer._decode_asr(chunks, {
    time_precision: WINDOW_SEC / parts.model.config.max_source_positions,
    return_timestamps: true,
    force_full_sequences: false,
  });
  // A segment cut off by the end of the audio has no end time, and can have no start of its own.
  let previousEnd = 0;
  return {
    text: text.trim(),
    language: languageCode(language),
    segments: segments.map(({ timestamp: [start, end], text }) => {
      const segment = { start: start ?? previousEnd, end: end ?? audio.length / SAMPLE_RATE, text: text.trim() };
      previousEnd = segment.end;
      return segment;
    }),
    words: null,
  };
}

export function whisperEngine(options: WhisperOptions): SttEngine {
  const key = options.modelDir ?? options.model;
  const model = options.modelDir ? basename(options.modelDir) : options.model;
  return {
    name: 'whisper',
    model,
    async transcribe(audio, { language, signal }): Promise<Transcript> {
      let whisperPromise = loaded.get(key);
      if (!whisperPromise) {
        whisperPromise = load(options);
        loaded.set(key, whisperPromise);
        whisperPromise.catch(() => loaded.delete(key)); // a later call may find the network or the folder
      }
      let whisper: LoadedWhisper;
      try {
        whisper = await whisperPromise;
      } catch (error) {
        const where = options.modelDir
          ? `the folder ${options.modelDir}`
          : `the cache ${options.cacheDir}, and downloading it failed`;
        throw new SttUnavailable(
          `Whisper model "${model}" is not available (not in ${where}: ${(error as Error).message.split('\n')[0]}). ` +
            'Set WHISPER_MODEL_DIR to a local copy of the model, or choose another STT_ENGINE.',
        );
      }
      return transcribeWith(whisper, audio, language, signal);
    },
  };
}
