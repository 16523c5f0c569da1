// Speaking and listening, as the original web client does a spoken interview: an answer recording
// transcribed right away (POST /stt), and a question read aloud (GET /questions/{id}/tts).
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendStoredFile } from '../http/stored-file.ts';
import { Errors } from '../http/errors.ts';
import { receiveForm } from '../http/multipart.ts';
import { errorReplies, Nullable, UUID, Uuid } from '../http/schemas.ts';
import { speechResource, type QuestionSpeechService } from '../tts/service.ts';
import type { AnswerTranscriber } from './answer-speech.ts';
import { AnswerResponse, QuestionParams } from './schemas.ts';
import type { InterviewService } from './service.ts';

const AudioStream = Type.Unsafe<Readable>({ type: 'string', format: 'binary' });

const tags = ['interviews'];

const SttForm = Type.Object({
  audio: Type.String({ format: 'binary', description: 'The recording: WebM/Opus, Ogg, WAV, MP3 or M4A' }),
  question_id: Type.Optional(Uuid('Save the text as an answer to this question of yours')),
  language: Type.Optional(Type.String({ description: 'Two-letter code to force (ko, en); default STT_LANGUAGE' })),
});

const SttResponse = Type.Object({
  text: Type.String(),
  language: Nullable(Type.String()),
  segments: Type.Array(Type.Object({ start: Type.Number(), end: Type.Number(), text: Type.String() })),
  engine: Type.String({ description: 'openai, gemini or whisper' }),
  model: Type.String(),
  duration_sec: Type.Number(),
  answer: Type.Union([AnswerResponse, Type.Null()], {
    description: 'The saved answer, when question_id was sent and the text is not empty',
  }),
});

const TtsResponse = Type.Object({
  question_id: Uuid(),
  audio_url: Type.String({ description: 'Plays in an <audio src> without a header; works until expires_at' }),
  text: Type.String(),
  engine: Type.String({ description: 'openai, gemini or espeak' }),
  voice: Type.String(),
  expires_at: Type.String({ format: 'date-time' }),
});

const SignedQuery = Type.Object({
  user_id: Type.Optional(Type.String()),
  expires: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
});

export interface SpeechRouteOptions {
  interviews: InterviewService;
  transcriber: AnswerTranscriber;
  questionSpeech: QuestionSpeechService;
  uploadIdleTimeoutMs: number;
}

export const speechRoutes: FastifyPluginAsyncTypebox<SpeechRouteOptions> = async (
  app,
  { interviews, transcriber, questionSpeech, uploadIdleTimeoutMs },
) => {
  /** The form's optional fields, checked when the recording starts and again when the form is whole. */
  async function checkFields(userId: string, fields: Record<string, string>) {
    const { question_id: questionId, language } = fields;
    if (questionId !== undefined) {
      if (!UUID.test(questionId)) throw new Errors.InvalidReference('question_id must be a UUID');
      await interviews.getQuestion(userId, questionId);
    }
    if (language !== undefined && !/^[a-z]{2}$/.test(language))
      throw new Errors.InvalidReference('language must be a two-letter code such as ko or en');
  }

  app.post(
    '/stt',
    {
      config: { multipartBody: SttForm },
      schema: {
        tags,
        summary: 'Transcribe a short spoken answer (the original client’s speech-to-text)',
        description:
          `Multipart field \`audio\` (at most ${transcriber.limits.maxMb} MB and ${transcriber.limits.maxSec} s), checked with ffprobe; ` +
          'transcribed by the configured engines (STT_ENGINE, as for the analysis). Nothing is stored unless `question_id` ' +
          '(send it before the audio) names one of your questions: the text is then saved as its answer. ' +
          '503 STT_UNAVAILABLE when no engine is configured, 502 STT_FAILED when the engine fails, 415 for a file that is not ' +
          'audio, 422 for one without sound or too long.',
        consumes: ['multipart/form-data'],
        response: { 200: SttResponse, ...errorReplies(404, 408, 413, 415, 502, 503) },
      },
    },
    async (request) => {
      const userId = request.user.id;
      const { fields, file } = await receiveForm(request, transcriber.sink, {
        idleTimeoutMs: uploadIdleTimeoutMs,
        fileField: 'audio',
        checkFields: async (fieldsSoFar) => {
          transcriber.checkAvailable();
          await checkFields(userId, fieldsSoFar);
        },
      });
      try {
        await checkFields(userId, fields);
        const transcript = await transcriber.transcribe(file.tempPath, fields.language ?? null);
        const answer =
          fields.question_id && transcript.text
            ? await interviews.addAnswer(userId, fields.question_id, { text: transcript.text })
            : null;
        return { ...transcript, answer };
      } finally {
        await transcriber.sink.discard(file.tempPath);
      }
    },
  );

  app.get(
    '/questions/:question_id/tts',
    {
      schema: {
        tags,
        summary: 'The question read aloud: a short-lived URL of its speech',
        description:
          'Made by TTS_ENGINE (openai, gemini or espeak) once per question text and voice, then kept with your files. ' +
          '`audio_url` carries a signature for you and this question and works until `expires_at` (MEDIA_URL_TTL_SEC). ' +
          '503 TTS_UNAVAILABLE with TTS_ENGINE=none (let the browser speak `text`); 502 TTS_FAILED when the engine fails.',
        params: QuestionParams,
        response: { 200: TtsResponse, ...errorReplies(404, 502, 503) },
      },
    },
    async (request) => {
      const { question_id: questionId } = request.params;
      const question = await interviews.getQuestion(request.user.id, questionId);
      const speech = await questionSpeech.speechFor(request.user.id, question.text);
      const signed = questionSpeech.sign(request.user.id, questionId);
      const query = new URLSearchParams({
        user_id: signed.user_id,
        expires: String(signed.expires),
        signature: signed.signature,
      });
      // Absolute: the original client plays it as is, from a page on another origin.
      const origin = `${request.protocol}://${request.host}`;
      return {
        question_id: questionId,
        audio_url: `${origin}${app.prefix}/questions/${questionId}/tts/audio?${query}`,
        text: question.text,
        engine: speech.engine,
        voice: speech.voice,
        expires_at: new Date(signed.expires * 1000).toISOString(),
      };
    },
  );

  app.get(
    '/questions/:question_id/tts/audio',
    {
      config: { signedMediaUrl: (params) => speechResource(params.question_id ?? '') },
      schema: {
        tags,
        summary: "The question's speech (audio/mpeg or audio/wav), to its owner only, with HTTP range support",
        description: 'Send the Authorization header, or use `audio_url` from GET …/tts (for an `<audio src>`).',
        params: QuestionParams,
        querystring: SignedQuery,
        headers: Type.Object({ range: Type.Optional(Type.String()) }),
        produces: ['audio/mpeg', 'audio/wav'],
        response: { 200: AudioStream, 206: AudioStream, ...errorReplies(404, 416, 502, 503) },
      },
    },
    async (request, reply) => {
      const question = await interviews.getQuestion(request.user.id, request.params.question_id);
      const speech = await questionSpeech.speechFor(request.user.id, question.text);
      reply.header('cache-control', 'private, max-age=600');
      return sendStoredFile(request, reply, {
        size: await questionSpeech.size(speech),
        contentType: speech.contentType,
        read: (range) => questionSpeech.read(speech, range),
      });
    },
  );
};
