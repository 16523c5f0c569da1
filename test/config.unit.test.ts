import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

async function tempDir(t: { after(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'ip-config-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('defaults: port 8000, SQLite file in DATA_DIR, seven-day tokens', async (t) => {
  const dir = await tempDir(t);
  const config = loadConfig({ DATA_DIR: dir });
  assert.equal(config.port, 8000);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.databaseUrl, `sqlite:${join(dir, 'interview_app.db')}`);
  assert.equal(config.jwtExpiresIn, '7d');
  assert.equal(config.mediaUrlTtlSec, 600);
  assert.equal(config.maxPortfolioMb, 10);
  assert.deepEqual(config.pdf, { maxPages: 200, timeoutSec: 20, maxTextChars: 500_000 });
  assert.deepEqual([config.maxVideoSec, config.analysisTimeoutSec], [900, 2700]);
  assert.equal(
    loadConfig({ DATA_DIR: dir, MAX_VIDEO_SEC: '60' }).analysisTimeoutSec,
    180,
    'three times the longest video',
  );
  assert.deepEqual(config.gemini.apiKeys, []);
  assert.equal(config.analysis.fps, 5);
  assert.ok(config.analysis.faceWorkers >= 1 && config.analysis.faceWorkers <= 2);
  assert.deepEqual([config.analysis.ffmpegPath, config.analysis.ffprobePath], [null, null]);
  assert.equal(config.speech.engine, 'auto');
  assert.equal(config.speech.language, null);
  assert.equal(config.speech.whisperModel, 'onnx-community/whisper-small');
  assert.equal(config.speech.cacheDir, join(dir, 'models'));
});

test('speech settings: trailing slashes trimmed, auto language means detect', async (t) => {
  const dir = await tempDir(t);
  const config = loadConfig({
    DATA_DIR: dir,
    STT_OPENAI_URL: 'http://127.0.0.1:9000/',
    STT_LANGUAGE: 'AUTO',
    STT_ENGINE: 'openai',
  });
  assert.equal(config.speech.openaiUrl, 'http://127.0.0.1:9000');
  assert.equal(config.speech.language, null);
  assert.equal(loadConfig({ DATA_DIR: dir, STT_LANGUAGE: 'KO' }).speech.language, 'ko');
});

test('a generated JWT secret is kept in DATA_DIR so restarts keep tokens valid', async (t) => {
  const dir = await tempDir(t);
  const first = loadConfig({ DATA_DIR: dir });
  const second = loadConfig({ DATA_DIR: dir });
  assert.equal(first.jwtSecret, second.jwtSecret);
  assert.ok(first.jwtSecret.length >= 48);
  assert.equal(await readFile(join(dir, 'jwt-secret'), 'utf8'), first.jwtSecret);
  assert.equal((await stat(join(dir, 'jwt-secret'))).mode & 0o777, 0o600);
  assert.notEqual(loadConfig({ DATA_DIR: await tempDir(t) }).jwtSecret, first.jwtSecret);
});

test('Gemini keys are collected in the order the original tried them, without repeats', async (t) => {
  const dir = await tempDir(t);
  const config = loadConfig({ DATA_DIR: dir, GEMINI_API_KEY: 'k1', GEMINI_API_KEY1: 'k1', GEMINI_API_KEY3: 'k3' });
  assert.deepEqual(config.gemini.apiKeys, ['k1', 'k3']);
});

test('bad values fail at start, naming the variable', async (t) => {
  const dir = await tempDir(t);
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ JWT_EXPIRES_IN: 'forever' }, 'JWT_EXPIRES_IN'],
    [{ MEDIA_URL_TTL_SEC: '5' }, 'MEDIA_URL_TTL_SEC'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MAX_PORTFOLIO_MB: '0' }, 'MAX_PORTFOLIO_MB'],
    [{ PDF_MAX_PAGES: '0' }, 'PDF_MAX_PAGES'],
    [{ PDF_PARSE_TIMEOUT_SEC: '0.5' }, 'PDF_PARSE_TIMEOUT_SEC'],
    [{ PDF_MAX_TEXT_CHARS: 'lots' }, 'PDF_MAX_TEXT_CHARS'],
    [{ FEEDBACK_LANG: 'fr' }, 'FEEDBACK_LANG'],
    [{ MAX_VIDEO_SEC: '0' }, 'MAX_VIDEO_SEC'],
    [{ ANALYSIS_TIMEOUT_SEC: 'never' }, 'ANALYSIS_TIMEOUT_SEC'],
    [{ ANALYSIS_FPS: '0' }, 'ANALYSIS_FPS'],
    [{ ANALYSIS_FPS: '2.5' }, 'ANALYSIS_FPS'],
    [{ FACE_WORKERS: 'many' }, 'FACE_WORKERS'],
    [{ FFMPEG_PATH: '/nonexistent/ffmpeg' }, 'FFMPEG_PATH'],
    [{ FFPROBE_PATH: '/nonexistent/ffprobe' }, 'FFPROBE_PATH'],
    [{ STT_ENGINE: 'siri' }, 'STT_ENGINE'],
    [{ STT_LANGUAGE: 'korean' }, 'STT_LANGUAGE'],
    [{ STT_TIMEOUT_SEC: '0' }, 'STT_TIMEOUT_SEC'],
    [{ STT_OPENAI_URL: 'localhost:8080' }, 'STT_OPENAI_URL'],
    [{ GEMINI_BASE_URL: 'ftp://x' }, 'GEMINI_BASE_URL'],
    [{ WHISPER_MODEL_DIR: '/nonexistent/model' }, 'WHISPER_MODEL_DIR'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, ...env }),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, new RegExp(`^Invalid ${variable}:`));
        return true;
      },
    );
  }
});

test('postgres URLs are taken as they are', async (t) => {
  const dir = await tempDir(t);
  const url = 'postgresql://app@db.internal:5432/interviews';
  assert.equal(loadConfig({ DATA_DIR: dir, DATABASE_URL: url }).databaseUrl, url);
});
