// Speech for a question read aloud, from one configured engine: any OpenAI-compatible
// `/v1/audio/speech` server, Gemini's speech generation, or espeak-ng on this machine. Each gives
// audio bytes and their type; a failure is a TtsUnavailable whose message names the engine and why,
// never a key.
import { spawn } from 'node:child_process';
import { GoogleGenAI, Modality } from '@google/genai';
import type { TtsSettings } from '../config.ts';

export interface Speech {
  audio: Buffer;
  /** `audio/mpeg` or `audio/wav`. */
  contentType: string;
}

export interface TtsEngine {
  name: 'openai' | 'gemini' | 'espeak';
  /** The voice used, part of the cache key. */
  voice: string;
  model: string;
  speak(text: string, signal: AbortSignal): Promise<Speech>;
}

export class TtsUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TtsUnavailable';
  }
}

/** Largest audio accepted from a speech server: a question takes well under a megabyte. */
const MAX_AUDIO_BYTES = 20 * 1024 * 1024;

/** A WAV header on raw 16-bit little-endian mono PCM (what Gemini answers). */
export function pcmToWav(pcm: Buffer, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

function openaiEngine(settings: TtsSettings): TtsEngine {
  const endpoint = `${settings.openaiUrl!.replace(/\/v1$/, '')}/v1/audio/speech`;
  const voice = settings.voice ?? 'alloy';
  return {
    name: 'openai',
    voice,
    model: settings.openaiModel,
    async speak(text, signal) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(settings.openaiApiKey ? { authorization: `Bearer ${settings.openaiApiKey}` } : {}),
          },
          body: JSON.stringify({ model: settings.openaiModel, input: text, voice, response_format: 'mp3' }),
          signal,
        });
      } catch (error) {
        throw new TtsUnavailable(`speech server at ${endpoint} did not answer: ${(error as Error).message}`);
      }
      if (!response.ok) {
        throw new TtsUnavailable(`speech server answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      }
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith('audio/') && type !== 'application/octet-stream') {
        throw new TtsUnavailable(`speech server answered ${type || 'no content type'} instead of audio`);
      }
      const audio = Buffer.from(await response.arrayBuffer());
      if (audio.length === 0 || audio.length > MAX_AUDIO_BYTES)
        throw new TtsUnavailable(`speech server answered ${audio.length} bytes of audio`);
      return {
        audio,
        contentType: type.startsWith('audio/wav') || type === 'audio/x-wav' ? 'audio/wav' : 'audio/mpeg',
      };
    },
  };
}

function geminiEngine(settings: TtsSettings): TtsEngine {
  const { apiKeys, baseUrl } = settings.gemini;
  const clients = apiKeys.map(
    (apiKey) => new GoogleGenAI({ apiKey, ...(baseUrl ? { httpOptions: { baseUrl } } : {}) }),
  );
  const hideKeys = (message: string) => apiKeys.reduce((text, key) => text.replaceAll(key, '***'), message);
  const voice = settings.voice ?? 'Kore';
  return {
    name: 'gemini',
    voice,
    model: settings.geminiModel,
    async speak(text, signal) {
      const reasons: string[] = [];
      for (const [index, client] of clients.entries()) {
        try {
          const response = await client.models.generateContent({
            model: settings.geminiModel,
            contents: [{ role: 'user', parts: [{ text }] }],
            config: {
              responseModalities: [Modality.AUDIO],
              speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: voice } } },
              abortSignal: signal,
            },
          });
          const inline = response.candidates?.[0]?.content?.parts?.find((part) => part.inlineData?.data)?.inlineData;
          if (!inline?.data) throw new TtsUnavailable('Gemini answered without audio');
          const pcm = Buffer.from(inline.data, 'base64');
          // Gemini speaks raw 16-bit PCM, `audio/L16;codec=pcm;rate=24000`.
          const rate = Number(/rate=(\d+)/.exec(inline.mimeType ?? '')?.[1] ?? 24_000);
          if (pcm.length === 0 || pcm.length > MAX_AUDIO_BYTES || !(rate >= 8000 && rate <= 96_000))
            throw new TtsUnavailable('Gemini answered audio of an unexpected size or rate');
          return { audio: pcmToWav(pcm, rate), contentType: 'audio/wav' };
        } catch (error) {
          if (error instanceof TtsUnavailable) throw error;
          reasons.push(`key ${index + 1}: ${hideKeys((error as Error).message.split('\n')[0]!).slice(0, 200)}`);
          if (signal.aborted) break;
        }
      }
      throw new TtsUnavailable(
        signal.aborted ? 'Gemini did not answer in time' : `Gemini failed (${reasons.join('; ')})`,
      );
    },
  };
}

/** espeak-ng's voice for a text: Korean when it has Hangul, else English; TTS_VOICE overrides. */
const espeakVoice = (text: string, configured: string | null) =>
  configured ?? (/[\uAC00-\uD7A3]/u.test(text) ? 'ko' : 'en');

function espeakEngine(settings: TtsSettings): TtsEngine {
  return {
    name: 'espeak',
    voice: settings.voice ?? 'auto',
    model: 'espeak-ng',
    speak(text, signal) {
      return new Promise((resolve, reject) => {
        // The text goes in on stdin, so nothing in it can be read as an option.
        const child = spawn(
          'espeak-ng',
          ['-v', espeakVoice(text, settings.voice), '-s', '150', '--stdin', '--stdout'],
          {
            stdio: ['pipe', 'pipe', 'pipe'],
            signal,
          },
        );
        const chunks: Buffer[] = [];
        let size = 0;
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_AUDIO_BYTES) child.kill('SIGKILL');
          else chunks.push(chunk);
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-500)));
        child.on('error', (error: NodeJS.ErrnoException) =>
          reject(
            new TtsUnavailable(
              error.code === 'ENOENT' ? 'espeak-ng is not installed (apt-get install espeak-ng)' : error.message,
            ),
          ),
        );
        child.on('close', (code) => {
          if (code === 0 && size > 44 && size <= MAX_AUDIO_BYTES)
            resolve({ audio: Buffer.concat(chunks), contentType: 'audio/wav' });
          else reject(new TtsUnavailable(`espeak-ng failed (exit ${code}): ${stderr.trim().split('\n').pop() ?? ''}`));
        });
        child.stdin.on('error', () => {}); // a process that died early: its exit says why
        child.stdin.end(text);
      });
    },
  };
}

/** The configured engine, or null for TTS_ENGINE=none. */
export function ttsEngine(settings: TtsSettings): TtsEngine | null {
  switch (settings.engine) {
    case 'openai':
      return openaiEngine(settings);
    case 'gemini':
      return geminiEngine(settings);
    case 'espeak':
      return espeakEngine(settings);
    case 'none':
      return null;
  }
}
