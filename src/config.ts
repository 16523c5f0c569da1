// Every setting of the server, read from the environment (and `.env` when present) in one place.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { GeminiSettings } from './llm/gemini.ts';

/** Settings of the analysis pipeline; reading them touches nothing on disk. */
export interface AnalysisSettings {
  /** Frames analysed per second of video. */
  fps: number;
  /** Worker threads running the face model, each with its own copy. */
  faceWorkers: number;
  /** ffmpeg / ffprobe to use instead of the binaries shipped in npm packages. */
  ffmpegPath: string | null;
  ffprobePath: string | null;
}

/** Limits on reading a portfolio PDF's text (done in a reader process); a PDF beyond one is refused. */
export interface PdfLimits {
  maxPages: number;
  timeoutSec: number;
  maxTextChars: number;
}

/** The languages of feedback and questions. */
export type Lang = 'ko' | 'en';

export type SttEngineName = 'auto' | 'whisper' | 'openai' | 'gemini' | 'none';
const STT_ENGINES: SttEngineName[] = ['auto', 'whisper', 'openai', 'gemini', 'none'];

/** Settings of the speech stage: which transcription engine, and how to reach it. */
export interface SpeechSettings {
  engine: SttEngineName;
  /** ISO 639-1 code to force, or null to let the engine detect the language. */
  language: string | null;
  timeoutSec: number;
  whisperModel: string;
  /** A local copy of the Whisper model (offline installs); else it is downloaded into cacheDir. */
  whisperModelDir: string | null;
  cacheDir: string;
  openaiUrl: string | null;
  openaiApiKey: string | null;
  openaiModel: string;
  gemini: GeminiSettings;
}

/** Limits on a spoken answer sent for transcription (POST /api/interviews/stt). */
export interface AnswerAudioLimits {
  maxMb: number;
  maxSec: number;
}

export type TtsEngineName = 'openai' | 'gemini' | 'espeak' | 'none';
const TTS_ENGINES: TtsEngineName[] = ['openai', 'gemini', 'espeak', 'none'];

/** Speech for questions read aloud (GET /api/interviews/questions/{id}/tts). */
export interface TtsSettings {
  engine: TtsEngineName;
  openaiUrl: string | null;
  openaiApiKey: string | null;
  openaiModel: string;
  /** The engine's voice name; each engine has its own default. */
  voice: string | null;
  /** Gemini speech generation: its own model, the keys and base URL of GEMINI_*. */
  geminiModel: string;
  gemini: GeminiSettings;
  timeoutSec: number;
}

/** Where uploaded files are kept: the data folder, or an S3-compatible bucket. */
export type StorageSettings =
  | { kind: 'local' }
  | {
      kind: 's3';
      bucket: string;
      /** Put before every key: empty, or ending with a slash. */
      prefix: string;
      /** An S3-compatible server's URL (path-style addressing then); null for AWS. */
      endpoint: string | null;
      region: string;
    };

export interface Config {
  port: number;
  host: string;
  /** Absolute folder for the SQLite file, uploads, temporary files and caches. */
  dataDir: string;
  /** `sqlite:<path>` or `postgres://…`. */
  databaseUrl: string;
  jwtSecret: string;
  jwtExpiresIn: string;
  /** Lifetime of a signed URL to a user's own video file (for `<video src>`). */
  mediaUrlTtlSec: number;
  gemini: GeminiSettings;
  /** Give up on a Gemini answer (feedback, questions) after this long and fall back to the rules. */
  geminiTimeoutSec: number;
  /** Language of rule-based feedback and generated questions when the request does not choose. */
  feedbackLang: Lang;
  maxPortfolioMb: number;
  maxUploadMb: number;
  /** An upload that sends nothing for this long is cut and its temporary file removed. */
  uploadIdleTimeoutSec: number;
  /** Longest time to receive a whole request, uploads included (Node answers 408 past it). */
  requestTimeoutSec: number;
  /** Most a user may keep in their upload folder; an upload that would pass it is refused. */
  userQuotaMb: number;
  storage: StorageSettings;
  pdf: PdfLimits;
  /** Longest answer video accepted at upload. */
  maxVideoSec: number;
  /** Analyses run at the same time by the embedded worker. */
  analysisConcurrency: number;
  /** An analysis still running after this long is stopped and fails. */
  analysisTimeoutSec: number;
  allowedOrigins: string[];
  /** Redis for the job queue (BullMQ), job events and shared rate limits; null = everything in one process. */
  redis: RedisSettings | null;
  logLevel: string;
  analysis: AnalysisSettings;
  speech: SpeechSettings;
  answerAudio: AnswerAudioLimits;
  tts: TtsSettings;
  /** host[:port] entries the posting import may fetch although they resolve to private addresses (tests). */
  crawlAllowedHosts: string[];
}

export interface RedisSettings {
  url: string;
  /** Starts every key, so that several deployments (or test runs) can share one Redis. */
  prefix: string;
  /** A worker that has not renewed its job's lock for this long is taken for dead; its job runs again elsewhere. */
  stallSec: number;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** One megabyte takes 8 s on a 1 Mbit/s uplink (a weak mobile connection). */
const SECONDS_PER_MB_ON_A_SLOW_LINK = 8;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function executable(env: Env, name: string): string | null {
  const path = text(env, name);
  if (path !== undefined && !existsSync(path)) throw new ConfigError(name, `no file at ${path}`);
  return path ?? null;
}

export function loadAnalysisSettings(env: Env = process.env): AnalysisSettings {
  return {
    fps: integer(env, 'ANALYSIS_FPS', 5, 1, 30),
    // One face thread per core, at most 2: on 2 cores the second buys 25 % on a 360p answer, nothing on a
    // 720p one (each face thread's own ffmpeg keeps the other core busy there); bench:vision, README.
    faceWorkers: integer(env, 'FACE_WORKERS', Math.min(2, availableParallelism()), 1, 16),
    ffmpegPath: executable(env, 'FFMPEG_PATH'),
    ffprobePath: executable(env, 'FFPROBE_PATH'),
  };
}

function url(env: Env, name: string): string | null {
  const value = text(env, name);
  if (value !== undefined && !/^https?:\/\//.test(value))
    throw new ConfigError(name, 'expected an http:// or https:// URL');
  return value?.replace(/\/+$/, '') ?? null;
}

/** Keys in the order they are tried: GEMINI_API_KEY1..3, then GEMINI_API_KEY. */
export function loadGeminiSettings(env: Env = process.env): GeminiSettings {
  const names = ['GEMINI_API_KEY1', 'GEMINI_API_KEY2', 'GEMINI_API_KEY3', 'GEMINI_API_KEY'];
  return {
    apiKeys: [...new Set(names.map((name) => text(env, name)).filter((key): key is string => key !== undefined))],
    baseUrl: url(env, 'GEMINI_BASE_URL'),
    model: text(env, 'GEMINI_MODEL') ?? 'gemini-2.5-flash-lite',
  };
}

export function loadSpeechSettings(env: Env = process.env, gemini = loadGeminiSettings(env)): SpeechSettings {
  const engine = (text(env, 'STT_ENGINE') ?? 'auto') as SttEngineName;
  if (!STT_ENGINES.includes(engine)) throw new ConfigError('STT_ENGINE', `expected one of ${STT_ENGINES.join(', ')}`);
  const language = text(env, 'STT_LANGUAGE')?.toLowerCase() ?? null;
  if (language !== null && language !== 'auto' && !/^[a-z]{2}$/.test(language)) {
    throw new ConfigError('STT_LANGUAGE', 'expected a two-letter language code such as ko or en, or auto');
  }
  const whisperModelDir = text(env, 'WHISPER_MODEL_DIR') ?? null;
  if (whisperModelDir !== null && !existsSync(whisperModelDir))
    throw new ConfigError('WHISPER_MODEL_DIR', `no folder at ${whisperModelDir}`);
  return {
    engine,
    language: language === 'auto' ? null : language,
    timeoutSec: integer(env, 'STT_TIMEOUT_SEC', 300, 1, 3600),
    whisperModel: text(env, 'WHISPER_MODEL') ?? 'onnx-community/whisper-small',
    whisperModelDir: whisperModelDir && resolve(whisperModelDir),
    cacheDir: join(dataDirOf(env), 'models'),
    openaiUrl: url(env, 'STT_OPENAI_URL'),
    openaiApiKey: text(env, 'STT_OPENAI_API_KEY') ?? null,
    openaiModel: text(env, 'STT_OPENAI_MODEL') ?? 'whisper-1',
    gemini,
  };
}

function redisSettings(env: Env): RedisSettings | null {
  const url = text(env, 'REDIS_URL');
  if (url === undefined) return null;
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError('REDIS_URL', 'expected redis://… or rediss://…');
  const prefix = text(env, 'REDIS_PREFIX') ?? 'interview-practice';
  if (!/^[\w.-]{1,64}$/.test(prefix)) throw new ConfigError('REDIS_PREFIX', 'expected 1–64 letters, digits, _ . or -');
  return { url, prefix, stallSec: integer(env, 'JOB_STALL_SEC', 30, 1, 3600) };
}

export function loadTtsSettings(env: Env = process.env, gemini = loadGeminiSettings(env)): TtsSettings {
  const engine = (text(env, 'TTS_ENGINE') ?? 'none') as TtsEngineName;
  if (!TTS_ENGINES.includes(engine)) throw new ConfigError('TTS_ENGINE', `expected one of ${TTS_ENGINES.join(', ')}`);
  const settings: TtsSettings = {
    engine,
    openaiUrl: url(env, 'TTS_OPENAI_URL'),
    openaiApiKey: text(env, 'TTS_OPENAI_API_KEY') ?? null,
    openaiModel: text(env, 'TTS_OPENAI_MODEL') ?? 'tts-1',
    voice: text(env, 'TTS_VOICE') ?? null,
    geminiModel: text(env, 'TTS_GEMINI_MODEL') ?? 'gemini-2.5-flash-preview-tts',
    gemini,
    timeoutSec: integer(env, 'TTS_TIMEOUT_SEC', 60, 1, 600),
  };
  if (engine === 'openai' && !settings.openaiUrl) throw new ConfigError('TTS_OPENAI_URL', 'TTS_ENGINE=openai needs it');
  if (engine === 'gemini' && settings.gemini.apiKeys.length === 0)
    throw new ConfigError('GEMINI_API_KEY', 'TTS_ENGINE=gemini needs a Gemini key');
  if (settings.voice !== null && !/^[\w.+-]{1,64}$/.test(settings.voice))
    throw new ConfigError('TTS_VOICE', 'expected a voice name of letters, digits, . + - or _');
  return settings;
}

function hostList(env: Env, name: string): string[] {
  const entries = (text(env, name) ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  for (const entry of entries) {
    if (!/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/.test(entry))
      throw new ConfigError(name, `expected comma-separated host or host:port entries, got "${entry}"`);
  }
  return entries;
}

function feedbackLang(env: Env): Lang {
  const lang = text(env, 'FEEDBACK_LANG') ?? 'ko';
  if (lang !== 'ko' && lang !== 'en') throw new ConfigError('FEEDBACK_LANG', 'expected ko or en');
  return lang;
}

function databaseUrl(env: Env, dataDir: string): string {
  const raw = text(env, 'DATABASE_URL');
  if (raw === undefined) return `sqlite:${join(dataDir, 'interview_app.db')}`;
  if (/^postgres(ql)?:\/\//.test(raw)) return raw;
  if (raw.startsWith('sqlite:')) return `sqlite:${resolve(raw.slice('sqlite:'.length))}`;
  throw new ConfigError('DATABASE_URL', 'expected postgres://… or sqlite:<file>');
}

/** A secret generated on first start and kept in DATA_DIR, so restarts keep tokens valid. */
function jwtSecret(env: Env, dataDir: string): string {
  const configured = text(env, 'JWT_SECRET');
  if (configured !== undefined) {
    if (configured.length < 32) throw new ConfigError('JWT_SECRET', 'use at least 32 characters');
    return configured;
  }
  const file = join(dataDir, 'jwt-secret');
  try {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  } catch (error) {
    throw new ConfigError('JWT_SECRET', `not set, and ${file} cannot be read or written: ${(error as Error).message}`);
  }
}

/** Bucket names as S3 allows them (3–63 lowercase letters, digits, dots and hyphens). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `STORAGE_URL`: unset or `file:` keeps uploads in DATA_DIR/uploads; `s3://bucket[/prefix]` in a bucket,
 * with `S3_ENDPOINT` (any S3-compatible server) and `S3_REGION`. Credentials are the AWS SDK's own
 * business (its default chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, a role…).
 */
export function loadStorageSettings(env: Env = process.env): StorageSettings {
  const raw = text(env, 'STORAGE_URL');
  if (raw === undefined || raw === 'file:') return { kind: 'local' };
  const match = /^s3:\/\/([^/]+)(\/.*)?$/.exec(raw);
  if (!match) throw new ConfigError('STORAGE_URL', 'expected file: (uploads in DATA_DIR) or s3://bucket[/prefix]');
  const bucket = match[1]!;
  if (!BUCKET_NAME.test(bucket)) {
    // Not echoed: someone may have tried to put credentials in the URL.
    throw new ConfigError('STORAGE_URL', 'the bucket name must be 3–63 lowercase letters, digits, dots and hyphens');
  }
  const path = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (path.split('/').some((segment) => segment === '.' || segment === '..') || path.includes('//')) {
    throw new ConfigError('STORAGE_URL', 'the prefix after the bucket must not contain empty, . or .. segments');
  }
  const region = text(env, 'S3_REGION') ?? 'us-east-1';
  if (!/^[a-z0-9-]{1,40}$/.test(region)) {
    throw new ConfigError('S3_REGION', `expected a region name such as us-east-1, got "${region}"`);
  }
  return { kind: 's3', bucket, prefix: path ? `${path}/` : '', endpoint: url(env, 'S3_ENDPOINT'), region };
}

const dataDirOf = (env: Env) => resolve(text(env, 'DATA_DIR') ?? 'data');

export function loadConfig(env: Env = process.env): Config {
  const dataDir = dataDirOf(env);
  try {
    // The owner's only: it holds the database, the uploads and the JWT secret.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError('DATA_DIR', `cannot create ${dataDir}: ${(error as Error).message}`);
  }
  const logLevel = text(env, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const maxVideoSec = integer(env, 'MAX_VIDEO_SEC', 900, 1, 86_400);
  const maxPortfolioMb = integer(env, 'MAX_PORTFOLIO_MB', 10, 1, 1024);
  const maxUploadMb = integer(env, 'MAX_UPLOAD_MB', 500, 1, 10_240);
  const jwtExpiresIn = text(env, 'JWT_EXPIRES_IN') ?? '7d';
  const gemini = loadGeminiSettings(env);
  if (!/^\d+[smhd]$/.test(jwtExpiresIn)) {
    throw new ConfigError('JWT_EXPIRES_IN', 'expected a number with s, m, h or d, e.g. 7d');
  }
  return {
    port: integer(env, 'PORT', 8000, 0, 65535),
    host: text(env, 'HOST') ?? '0.0.0.0',
    dataDir,
    databaseUrl: databaseUrl(env, dataDir),
    jwtSecret: jwtSecret(env, dataDir),
    jwtExpiresIn,
    mediaUrlTtlSec: integer(env, 'MEDIA_URL_TTL_SEC', 600, 10, 86_400),
    gemini,
    feedbackLang: feedbackLang(env),
    geminiTimeoutSec: integer(env, 'GEMINI_TIMEOUT_SEC', 30, 1, 600),
    maxPortfolioMb,
    maxUploadMb,
    uploadIdleTimeoutSec: integer(env, 'UPLOAD_IDLE_TIMEOUT_SEC', 30, 1, 3600),
    // The largest upload must arrive whole on a slow link (500 MB: about 67 minutes); never less than
    // Node's own 5 minutes. A stalled upload is cut much sooner, by the idle timeout.
    requestTimeoutSec: integer(
      env,
      'REQUEST_TIMEOUT_SEC',
      Math.max(300, SECONDS_PER_MB_ON_A_SLOW_LINK * Math.max(maxUploadMb, maxPortfolioMb)),
      1,
      86_400,
    ),
    userQuotaMb: integer(env, 'USER_QUOTA_MB', 2000, 1, 10_485_760),
    storage: loadStorageSettings(env),
    pdf: {
      maxPages: integer(env, 'PDF_MAX_PAGES', 200, 1, 100_000),
      timeoutSec: integer(env, 'PDF_PARSE_TIMEOUT_SEC', 20, 1, 600),
      maxTextChars: integer(env, 'PDF_MAX_TEXT_CHARS', 500_000, 1, 10_000_000),
    },
    maxVideoSec,
    analysisConcurrency: integer(env, 'ANALYSIS_CONCURRENCY', 1, 1, 16),
    // An analysis takes 0.1–0.3 s per second of video at the defaults and up to about 1.5 s at 30 fps
    // with one face thread; three times the longest video covers that with room for a busy machine.
    analysisTimeoutSec: integer(env, 'ANALYSIS_TIMEOUT_SEC', 3 * maxVideoSec, 1, 7 * 86_400),
    allowedOrigins: (text(env, 'ALLOWED_ORIGINS') ?? 'http://localhost:3000,http://localhost:5173')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    redis: redisSettings(env),
    logLevel,
    analysis: loadAnalysisSettings(env),
    speech: loadSpeechSettings(env, gemini),
    answerAudio: {
      maxMb: integer(env, 'STT_MAX_UPLOAD_MB', 25, 1, 1024),
      maxSec: integer(env, 'STT_MAX_AUDIO_SEC', 300, 1, 3600),
    },
    tts: loadTtsSettings(env, gemini),
    crawlAllowedHosts: hostList(env, 'CRAWL_ALLOWED_HOSTS'),
  };
}

/** Reads `.env` from the working directory into process.env, never overriding what is set. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
