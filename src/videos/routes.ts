import { extname } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { assertSelf } from '../http/auth.ts';
import { sendStoredFile } from '../http/stored-file.ts';
import { Errors } from '../http/errors.ts';
import { receiveForm } from '../http/multipart.ts';
import { errorReplies, NoContent, UUID } from '../http/schemas.ts';
import { SessionParams } from '../interviews/schemas.ts';
import { requestLanguage, type Lang } from '../http/language.ts';
import { isLastEvent, type JobEvent, type JobRecords } from '../jobs/queue.ts';
import {
  AnalyzeQuery,
  AnalyzeResponse,
  JobParams,
  JobResponse,
  PlaybackUrlResponse,
  ResultsResponse,
  SessionSummaryResponse,
  SignedFileQuery,
  StatusResponse,
  UploadBody,
  UploadResponse,
  VideoParams,
  VideoResponse,
} from './schemas.ts';
import { jobView, type VideoService } from './service.ts';

const tags = ['video'];

export interface VideoRouteOptions {
  videos: VideoService;
  jobs: JobRecords;
  defaultLang: Lang;
  status: () => Promise<Static<typeof StatusResponse>>;
  /** How often a job's event stream sends a comment line while nothing else happens. */
  eventsHeartbeatMs?: number;
  /** An upload that sends nothing for this long is cut. */
  uploadIdleTimeoutMs: number;
}

/** Proxies cut a connection that stays silent for long (often after 30 to 60 s); this keeps streams open. */
export const EVENTS_HEARTBEAT_MS = 15_000;

/**
 * The ids of an upload form: each one given must be a UUID, and `user_id` the caller's own. With
 * `complete`, the form is whole and `session_id` and `question_id` are required.
 */
function checkUploadIds(request: FastifyRequest, fields: Record<string, string>, complete: boolean): void {
  for (const name of ['session_id', 'question_id', ...(fields.user_id ? ['user_id'] : [])]) {
    const value = fields[name];
    if (!value) {
      if (complete) throw new Errors.InvalidReference(`${name} is required`);
    } else if (!UUID.test(value)) {
      throw new Errors.InvalidReference(`${name} must be a UUID`);
    }
  }
  assertSelf(request, fields.user_id);
}

/** The original's /api/video routes: upload, analyse (a durable job), results, status. */
export const videoRoutes: FastifyPluginAsyncTypebox<VideoRouteOptions> = async (
  app,
  { videos, jobs, status, defaultLang, eventsHeartbeatMs = EVENTS_HEARTBEAT_MS, uploadIdleTimeoutMs },
) => {
  app.get(
    '/status',
    {
      schema: {
        tags,
        summary: 'Feedback mode, transcription engine, face model and queue depth',
        response: { 200: StatusResponse, ...errorReplies() },
      },
    },
    async () => status(),
  );

  app.post(
    '/upload',
    {
      config: { multipartBody: UploadBody },
      schema: {
        tags,
        summary: 'Upload an answer video for a question of one of your sessions',
        description: `Multipart: \`file\` (.mp4 .webm .mov .avi, at most ${videos.maxBytes / 1024 / 1024} MB, must contain a video stream; an image, a GIF included, is refused; kept and served as the type of its container, whatever its name), \`session_id\`, \`question_id\`, optional \`user_id\` (your own). Send the ids before \`file\`: they are then checked before the upload is stored, and a wrong one is refused without waiting for the file (ids after the file are checked once it has arrived).`,
        consumes: ['multipart/form-data'],
        response: { 200: UploadResponse, ...errorReplies(403, 404, 408, 413, 415) },
      },
    },
    async (request) => {
      const { fields, file } = await receiveForm(request, videos, {
        idleTimeoutMs: uploadIdleTimeoutMs,
        checkFields: async (fieldsSoFar) => {
          checkUploadIds(request, fieldsSoFar, false);
          await videos.checkReferences(request.user.id, {
            sessionId: fieldsSoFar.session_id,
            questionId: fieldsSoFar.question_id,
          });
        },
      });
      try {
        checkUploadIds(request, fields, true);
      } catch (error) {
        await videos.discard(file.tempPath);
        throw error;
      }
      return videos.create(request.user.id, {
        ...file,
        sessionId: fields.session_id!,
        questionId: fields.question_id!,
      });
    },
  );

  app.post(
    '/analyze/:video_id',
    {
      schema: {
        tags,
        summary: 'Analyse a video: waits for the result, or with ?async=true answers 202 with the job',
        headers: Type.Object({
          'accept-language': Type.Optional(Type.String({ description: 'ko or en chooses the feedback language' })),
        }),
        description:
          'The analysis is a durable job: a client that disconnects does not cancel it, a second call while it runs joins it, and a restart resumes it. ' +
          'A video that cannot be decoded, or whose analysis outlasts the time limit, answers 422 ANALYSIS_FAILED; a failure on our side answers 500. ' +
          'Deleting the video meanwhile stops the analysis and answers 404.',
        params: VideoParams,
        querystring: AnalyzeQuery,
        response: { 200: AnalyzeResponse, 202: JobResponse, ...errorReplies(404) },
      },
    },
    async (request, reply) => {
      const video = await videos.get(request.user.id, request.params.video_id);
      const { job } = await jobs.enqueue(video.id, request.user.id, requestLanguage(request, defaultLang));
      if (request.query.async) return reply.status(202).send(jobView(job));
      const finished = await jobs.waitFor(job);
      if (!finished) throw new Errors.VideoDeleted();
      if (finished.status === 'failed') {
        // The queue has logged our own failures with their stack; this one becomes a 500.
        if (finished.error_kind === 'internal')
          throw new Error(`analysis job ${finished.id} failed: ${finished.error}`);
        throw new Errors.AnalysisFailed(finished.error ?? 'unknown error');
      }
      return videos.analyzeReply(video.id, requestLanguage(request, defaultLang));
    },
  );

  const ownJob = async (userId: string, jobId: string) => {
    const job = await jobs.get(jobId);
    if (!job || job.user_id !== userId) throw new Errors.NotFound('Job');
    return job;
  };

  app.get(
    '/jobs/:job_id',
    {
      schema: {
        tags,
        summary: 'An analysis job: status, stage and progress',
        params: JobParams,
        response: { 200: JobResponse, ...errorReplies(404) },
      },
    },
    async (request) => jobView(await ownJob(request.user.id, request.params.job_id)),
  );

  app.get(
    '/jobs/:job_id/events',
    {
      schema: {
        tags,
        summary: 'Server-sent events: the job’s stage and progress until it ends',
        description:
          'Each event is `event: progress` (or `end` last) with the job as JSON in `data`; when the video (or its user) is deleted, ' +
          '`end` says `"status": "deleted"`. A comment line (`: keep-alive`) comes every 15 s while nothing else does.',
        params: JobParams,
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorReplies(404) },
      },
    },
    async (request, reply) => {
      const job = await ownJob(request.user.id, request.params.job_id);
      reply.hijack();
      const out = reply.raw;
      // Written by hand from here on, so the headers set so far (CORS, for an allowed origin) are passed along.
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined) out.setHeader(name, value);
      out.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const send = (event: string, data: unknown) => out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), eventsHeartbeatMs);
      let current: Omit<ReturnType<typeof jobView>, 'status'> & { status: JobEvent['status'] } = jobView(job);
      let closed = false;
      let unsubscribe = () => {};
      out.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
      });
      try {
        unsubscribe = await jobs.follow(job, (event) => {
          current =
            event.status === 'deleted'
              ? { ...current, status: 'deleted', error: 'The video was deleted' }
              : { ...current, ...event };
          send(isLastEvent(event) ? 'end' : 'progress', current);
          if (isLastEvent(event)) out.end();
        });
      } catch (error) {
        request.log.error({ err: error }, 'could not follow an analysis job');
        out.end();
      }
      if (closed) unsubscribe();
    },
  );

  app.get(
    '/results/:video_id',
    {
      schema: {
        tags,
        summary: 'Analysis results: metrics, metadata, alerts, feedback, transcript, timeline',
        description:
          'Before a first analysis succeeds, `metrics` is null and `analysis` tells the state of the latest job. ' +
          'Feedback and alerts come in the reader’s language (Accept-Language, else FEEDBACK_LANG): items the rules wrote are rebuilt from the stored figures, ' +
          'Gemini’s stay as written; each item’s `lang` says which. Nothing stored changes.',
        headers: Type.Object({
          'accept-language': Type.Optional(Type.String({ description: 'ko or en chooses the feedback language' })),
        }),
        params: VideoParams,
        response: { 200: ResultsResponse, ...errorReplies(404) },
      },
    },
    async (request) => {
      const video = await videos.get(request.user.id, request.params.video_id);
      return videos.results(
        request.user.id,
        video.id,
        await jobs.latestFor(video.id),
        requestLanguage(request, defaultLang),
      );
    },
  );
};

const FileStream = Type.Unsafe<Readable>({ type: 'string', format: 'binary' });

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
};

/** The original code's video endpoints under /api/interviews. */
export const interviewVideoRoutes: FastifyPluginAsyncTypebox<{ videos: VideoService }> = async (app, { videos }) => {
  const videoTags = ['interviews'];
  app.get(
    '/sessions/:session_id/videos',
    {
      schema: {
        tags: videoTags,
        summary: "A session's videos, oldest first",
        params: SessionParams,
        response: { 200: Type.Array(VideoResponse), ...errorReplies(404) },
      },
    },
    async (request) => videos.listBySession(request.user.id, request.params.session_id),
  );

  app.get(
    '/sessions/:session_id/summary',
    {
      schema: {
        tags: videoTags,
        summary: "A line about a session's answers: counts, and the means of the analysed ones",
        params: SessionParams,
        response: { 200: SessionSummaryResponse, ...errorReplies(404) },
      },
    },
    async (request) => videos.sessionSummary(request.user.id, request.params.session_id),
  );

  app.get(
    '/videos/:video_id',
    {
      schema: {
        tags: videoTags,
        summary: 'A video',
        params: VideoParams,
        response: { 200: VideoResponse, ...errorReplies(404) },
      },
    },
    async (request) => videos.view(request.user.id, request.params.video_id),
  );

  app.delete(
    '/videos/:video_id',
    {
      schema: {
        tags: videoTags,
        summary: 'Delete a video with its file, results and jobs',
        params: VideoParams,
        response: { 204: NoContent, ...errorReplies(404) },
      },
    },
    async (request, reply) => {
      await videos.remove(request.user.id, request.params.video_id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/videos/:video_id/playback-url',
    {
      schema: {
        tags: videoTags,
        summary:
          'A short-lived URL that plays your video in a <video> element, which cannot send the Authorization header',
        description:
          'The URL is the file route with `user_id`, `expires` and `signature` in its query; it works for this video and you only, until `expires_at`.',
        params: VideoParams,
        response: { 200: PlaybackUrlResponse, ...errorReplies(404) },
      },
    },
    async (request) => {
      const signed = await videos.signedFileQuery(request.user.id, request.params.video_id);
      const query = new URLSearchParams({
        user_id: signed.user_id,
        expires: String(signed.expires),
        signature: signed.signature,
      });
      return {
        url: `${app.prefix}/videos/${request.params.video_id}/file?${query}`,
        expires_at: new Date(signed.expires * 1000).toISOString(),
      };
    },
  );

  app.get(
    '/videos/:video_id/file',
    {
      config: { signedMediaUrl: true },
      schema: {
        tags: videoTags,
        summary: 'The video file, to its owner only, with HTTP range support',
        description: 'Send the Authorization header, or use the URL from POST …/playback-url (for a `<video src>`).',
        params: VideoParams,
        querystring: SignedFileQuery,
        headers: Type.Object({ range: Type.Optional(Type.String()) }),
        produces: Object.values(CONTENT_TYPES),
        response: { 200: FileStream, 206: FileStream, ...errorReplies(404, 416) },
      },
    },
    async (request, reply) => {
      const file = await videos.fileFor(request.user.id, request.params.video_id);
      return sendStoredFile(request, reply, {
        size: file.size,
        contentType: CONTENT_TYPES[extname(file.key)] ?? 'application/octet-stream',
        read: (range) => file.read(range),
      });
    },
  );
};
