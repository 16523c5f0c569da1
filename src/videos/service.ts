import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import type { Static } from '@sinclair/typebox';
import type { Selectable } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { contentAnalysis, CONTENT_THRESHOLDS, type ContentAnalysis } from '../analysis/content/index.ts';
import {
  coachingFeedback,
  contentFeedback,
  FEEDBACK_RULES,
  feedbackForReader,
  timelineAlerts,
  type Feedback,
  type FeedbackLang,
} from '../analysis/feedback/index.ts';
import type { GeminiClient } from '../llm/gemini.ts';
import {
  isFragmentedMp4,
  MediaError,
  probe,
  remuxToSeekable,
  type MediaTools,
  type SeekableFormat,
  type VideoInfo,
} from '../analysis/media.ts';
import type { AnalysisMetadata } from '../analysis/metadata.ts';
import type { AnalysisResult } from '../analysis/pipeline.ts';
import type { TimelineFrame } from '../analysis/timeline.ts';
import type { Db } from '../db/index.ts';
import type { InterviewVideoTable, NonverbalMetricsTable } from '../db/schema.ts';
import { Errors } from '../http/errors.ts';
import type { MediaUrlSigner, SignedMediaQuery } from '../http/media-url.ts';
import type { InterviewService } from '../interviews/service.ts';
import { JobSuperseded, type Job } from '../jobs/queue.ts';
import type { ByteRange, LocalFile, Storage, UploadStream } from '../storage.ts';
import { imageFormatOf, storedExtension } from './formats.ts';
import { VIDEO_EXTENSIONS, type SessionSummaryResponse } from './schemas.ts';

export type Video = Selectable<InterviewVideoTable>;
export type VideoView = Video & { analysis_status: Job['status'] | null };
export type SessionSummary = Static<typeof SessionSummaryResponse>;

/** A video's stored file, for the file route. */
export interface StoredVideoFile {
  key: string;
  size: number;
  read(range?: ByteRange): Promise<Readable>;
}

export interface VideoUpload {
  userId: string;
  filename: string;
  stream: UploadStream;
}

/** Measures stored beside the original's metric columns. */
interface StoredMeasures {
  emotion_distribution: Record<string, number>;
  /** Absent from results stored before they were measured. */
  nod_times_sec?: number[];
  blink_times_sec?: number[];
  blink_count: number;
  blink_rate_per_min: number | null;
  gaze_away_segments: AnalysisResult['metrics']['gaze_away_segments'];
  /** Absent from results stored before they were measured. */
  longest_stretches?: AnalysisResult['metrics']['longest_stretches'];
  speech: AnalysisResult['metrics']['speech'];
}

const ORIGINAL_METRICS = [
  'center_gaze_ratio',
  'smile_ratio',
  'nod_count',
  'nod_rate_per_min',
  'wpm',
  'filler_count',
  'primary_emotion',
] as const;
type OriginalMetrics = Pick<NonverbalMetricsTable, (typeof ORIGINAL_METRICS)[number]>;

/** The metric columns the original had, from a stored row or a fresh result alike. */
function originalMetrics(source: OriginalMetrics): OriginalMetrics {
  return Object.fromEntries(ORIGINAL_METRICS.map((key) => [key, source[key]])) as OriginalMetrics;
}

const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

/** A result's metadata as stored: the analysis's own, and how its feedback and content were made. */
function storedMetadata(
  metadata: AnalysisMetadata,
  feedback: Feedback,
  lang: FeedbackLang,
  rubricQuotesDropped: number | null,
) {
  return {
    ...metadata,
    feedback_mode: feedback.mode,
    feedback_rules: FEEDBACK_RULES,
    feedback_lang: lang,
    feedback_fallback_reason: feedback.fallback_reason,
    content_thresholds: CONTENT_THRESHOLDS,
    /** Quotes of Gemini's rubric that were not in the transcript; null without a rubric. */
    content_rubric_quotes_dropped: rubricQuotesDropped,
  };
}

/** Partial: a row stored before a field was recorded lacks it. */
type StoredMetadata = Partial<ReturnType<typeof storedMetadata>>;

/** What `content_json` holds: the content analysis, or null and why. */
interface StoredContent {
  content: ContentAnalysis | null;
  reason: string | null;
}

const BEFORE_CONTENT: StoredContent = {
  content: null,
  reason: 'Analysed before content analysis existed: analyse the video again.',
};

type StoredMetricsRow = OriginalMetrics &
  Pick<Selectable<NonverbalMetricsTable>, 'metadata_json' | 'measures_json' | 'content_json'>;

/** A stored metrics row as the results show it (and as the rules read it to rebuild feedback). */
export function storedMetricsBlock(row: StoredMetricsRow) {
  const stored = parse<StoredContent>(row.content_json) ?? BEFORE_CONTENT;
  return {
    ...originalMetrics(row),
    ...parse<StoredMeasures>(row.measures_json)!,
    content: stored.content,
    content_reason: stored.reason,
    metadata: parse<StoredMetadata>(row.metadata_json),
  };
}

export interface VideoServiceOptions {
  maxBytes: number;
  /** Longer videos are refused at upload: every second of video costs analysis time. */
  maxVideoSec: number;
  gemini: GeminiClient | null;
  geminiTimeoutMs: number;
  mediaUrls: MediaUrlSigner;
  /** ffprobe and ffmpeg, for the checks and the remux at upload. */
  tools: MediaTools;
  log: Pick<FastifyBaseLogger, 'warn' | 'error'>;
  /** Called once a video's rows are deleted, so that its running analysis stops. */
  onRemoved(videoId: string): void;
}

export function createVideoService(
  db: Db,
  storage: Storage,
  interviews: InterviewService,
  { maxBytes, maxVideoSec, gemini, geminiTimeoutMs, mediaUrls, tools, log, onRemoved }: VideoServiceOptions,
) {
  async function get(userId: string, videoId: string): Promise<Video> {
    const video = await db
      .selectFrom('interview_video')
      .selectAll()
      .where('id', '=', videoId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!video) throw new Errors.NotFound('Video');
    return video;
  }

  /** Video rows with the status of each one's latest analysis job (null before the first). */
  function selectVideoViews() {
    return db
      .selectFrom('interview_video')
      .selectAll('interview_video')
      .select((eb) =>
        eb
          .selectFrom('analysis_job')
          .select('analysis_job.status')
          .whereRef('analysis_job.video_id', '=', 'interview_video.id')
          .orderBy('analysis_job.created_at', 'desc')
          .limit(1)
          .as('analysis_status'),
      );
  }

  /** The session and question an upload names, those given: both the user's, the question one of that session. */
  async function checkReferences(
    userId: string,
    { sessionId, questionId }: { sessionId?: string; questionId?: string },
  ): Promise<void> {
    if (sessionId) await interviews.getSession(userId, sessionId);
    if (!questionId) return;
    const question = await interviews.getQuestion(userId, questionId);
    if (sessionId && question.session_id !== sessionId) {
      throw new Errors.InvalidReference('question_id must be a question of session_id');
    }
  }

  function assertShortEnough(durationSec: number): void {
    if (durationSec > maxVideoSec) throw new Errors.VideoTooLong(durationSec.toFixed(1), maxVideoSec);
  }

  /**
   * The file to keep for an upload that probed fine, and its duration. Browser recordings have no seek
   * index: WebM has no Cues and no Duration, MP4 comes in fragments. Every WebM is remuxed once (a
   * stream copy costs about one read of the file, and ffprobe cannot say whether a file has Cues), and
   * every fragmented MP4; other MP4s are kept byte for byte. Should the remux fail, the upload is kept
   * as it came: playable, if not seekable.
   */
  async function seekableFile(tempPath: string, info: VideoInfo): Promise<{ path: string; durationSec: number }> {
    const container = info.container.split(',');
    const format: SeekableFormat | null = container.includes('webm')
      ? 'webm'
      : container.includes('mp4') && (await isFragmentedMp4(tempPath))
        ? 'mp4'
        : null;
    if (!format) return { path: tempPath, durationSec: info.durationSec };
    const remuxed = `${tempPath}.seekable.${format}`;
    try {
      await remuxToSeekable(tempPath, remuxed, format, tools);
      return { path: remuxed, durationSec: (await probe(remuxed, tools)).durationSec };
    } catch (error) {
      await storage.discard(remuxed);
      log.warn(
        { err: error },
        `an uploaded ${format} recording could not be remuxed into a seekable file; it is kept as uploaded`,
      );
      return { path: tempPath, durationSec: info.durationSec };
    }
  }

  /**
   * Everything stored for a video's latest analysis, or null before the first one succeeds; its feedback
   * and alerts in the reader's language where the rules can rebuild them (see feedbackForReader).
   */
  async function storedResults(videoId: string, lang: FeedbackLang) {
    const metrics = await db
      .selectFrom('nonverbal_metrics')
      .selectAll()
      .where('video_id', '=', videoId)
      .executeTakeFirst();
    if (!metrics) return null;
    const [timeline, transcript, feedback] = await Promise.all([
      db.selectFrom('nonverbal_timeline').selectAll().where('video_id', '=', videoId).executeTakeFirst(),
      db.selectFrom('interview_transcript').selectAll().where('video_id', '=', videoId).executeTakeFirst(),
      db
        .selectFrom('feedback')
        .selectAll()
        .where('video_id', '=', videoId)
        .orderBy('position')
        .orderBy('created_at')
        .execute(),
    ]);
    const frames = parse<TimelineFrame[]>(timeline?.timeline_json ?? null) ?? [];
    const metricsBlock = storedMetricsBlock(metrics);
    const readerFeedback = feedbackForReader(feedback, metricsBlock, lang);
    return {
      metrics: metricsBlock,
      metricsId: metrics.id,
      timeline: frames,
      timelineId: timeline?.id ?? null,
      transcript: transcript ?? null,
      feedback: readerFeedback,
      alerts: timelineAlerts(frames, readerFeedback, lang),
    };
  }

  return {
    get,
    maxBytes,

    /** Streams an upload to a temporary file; the caller passes the path to `create` or removes it. */
    async receive(upload: VideoUpload): Promise<string> {
      if (!VIDEO_EXTENSIONS.includes(extname(upload.filename).toLowerCase())) {
        upload.stream.resume();
        throw new Errors.UnsupportedMedia(`Unsupported file format: use ${VIDEO_EXTENSIONS.join(', ')}`);
      }
      return storage.receive(upload.userId, upload.stream, maxBytes);
    },

    discard: (tempPath: string) => storage.discard(tempPath),

    checkReferences,

    /** Checks the references and the content, then keeps the file and records the video. */
    async create(userId: string, input: { tempPath: string; filename: string; sessionId: string; questionId: string }) {
      let kept: string | undefined;
      let toKeep: string | undefined;
      try {
        await checkReferences(userId, input);
        if ((await stat(input.tempPath)).size === 0) throw new Errors.UnsupportedMedia('The file is empty');
        let info: VideoInfo;
        try {
          info = await probe(input.tempPath, tools);
        } catch (error) {
          if (error instanceof MediaError) throw new Errors.UnsupportedMedia(error.message);
          throw error;
        }
        const image = imageFormatOf(info);
        if (image)
          throw new Errors.UnsupportedMedia(
            `Not a video: the file is an image (${image}); upload a video recording (${VIDEO_EXTENSIONS.join(', ')})`,
          );
        assertShortEnough(info.durationSec);
        const { path, durationSec } = await seekableFile(input.tempPath, info);
        toKeep = path;
        assertShortEnough(durationSec); // the remuxed file's, which is the one kept
        const extension = storedExtension(info.container, extname(input.filename).toLowerCase());
        kept = await storage.keep(toKeep, userId, 'videos', extension);
        const video: Video = {
          id: randomUUID(),
          user_id: userId,
          session_id: input.sessionId,
          question_id: input.questionId,
          video_url: kept,
          audio_url: null,
          duration_sec: Number(durationSec.toFixed(3)),
          created_at: new Date().toISOString(),
        };
        await db.insertInto('interview_video').values(video).execute();
        return {
          video_id: video.id,
          filename: input.filename,
          file_path: kept,
          duration_sec: video.duration_sec,
          created_at: video.created_at,
        };
      } catch (error) {
        if (kept) await storage.remove(kept);
        throw error;
      } finally {
        await storage.discard(input.tempPath);
        if (toKeep) await storage.discard(toKeep); // a remuxed copy (moved away when kept in DATA_DIR)
      }
    },

    async listBySession(userId: string, sessionId: string): Promise<VideoView[]> {
      await interviews.getSession(userId, sessionId);
      return selectVideoViews().where('session_id', '=', sessionId).orderBy('created_at').orderBy('id').execute();
    },

    /** A line about a session's answers: how many, how many analysed, and their averages. */
    async sessionSummary(userId: string, sessionId: string): Promise<SessionSummary> {
      await interviews.getSession(userId, sessionId);
      const videos = await selectVideoViews().where('session_id', '=', sessionId).execute();
      const metrics = await db
        .selectFrom('nonverbal_metrics')
        .innerJoin('interview_video', 'interview_video.id', 'nonverbal_metrics.video_id')
        .select([
          'nonverbal_metrics.center_gaze_ratio',
          'nonverbal_metrics.smile_ratio',
          'nonverbal_metrics.filler_count',
        ])
        .where('interview_video.session_id', '=', sessionId)
        .execute();
      const mean = (values: Array<number | null>) => {
        const known = values.filter((value): value is number => value !== null);
        return known.length ? Number((known.reduce((a, b) => a + b, 0) / known.length).toFixed(3)) : null;
      };
      return {
        answers: videos.length,
        analysed: metrics.length,
        analysing: videos.filter((video) => video.analysis_status === 'queued' || video.analysis_status === 'running')
          .length,
        center_gaze_ratio_mean: mean(metrics.map((row) => row.center_gaze_ratio)),
        smile_ratio_mean: mean(metrics.map((row) => row.smile_ratio)),
        filler_count_mean: mean(metrics.map((row) => row.filler_count)),
      };
    },

    /** One of the user's videos as the API shows it. */
    async view(userId: string, videoId: string): Promise<VideoView> {
      const video = await selectVideoViews().where('id', '=', videoId).where('user_id', '=', userId).executeTakeFirst();
      if (!video) throw new Errors.NotFound('Video');
      return video;
    },

    /** The stored file of one of the user's videos: its key, its size, and a reader of its bytes. */
    async fileFor(userId: string, videoId: string): Promise<StoredVideoFile> {
      const video = await get(userId, videoId);
      const key = storage.ownedKey(userId, video.video_url);
      if (!key) throw new Errors.NotFound('Video file');
      const size = await storage.size(key);
      // A row whose file is gone is our fault, but all the caller can be told is that there is no file.
      if (size === null) {
        log.error({ videoId }, 'the stored file of a video is missing');
        throw new Errors.NotFound('Video file');
      }
      return { key, size, read: (range) => storage.read(key, range) };
    },

    /** Query parameters of a short-lived URL that plays one of the user's own videos without the header. */
    async signedFileQuery(userId: string, videoId: string): Promise<SignedMediaQuery> {
      const video = await get(userId, videoId);
      return mediaUrls.sign(video.id, userId);
    },

    /** For the job queue: the file to analyse. */
    async fileOf(videoId: string): Promise<LocalFile> {
      const video = await db
        .selectFrom('interview_video')
        .select(['user_id', 'video_url'])
        .where('id', '=', videoId)
        .executeTakeFirst();
      const key = video && storage.ownedKey(video.user_id, video.video_url);
      if (!key) throw new Error('The video is no longer stored');
      if ((await storage.size(key)) === null) throw new Error(`Video file not found: ${video.video_url}`);
      return storage.localCopy(key);
    },

    async remove(userId: string, videoId: string): Promise<void> {
      const video = await get(userId, videoId);
      await db.deleteFrom('interview_video').where('id', '=', videoId).execute();
      onRemoved(videoId);
      const key = storage.ownedKey(userId, video.video_url);
      if (key) await storage.remove(key);
    },

    /** Replaces the video's results with a new analysis and marks its job succeeded, in one transaction. */
    async saveAnalysis(job: Job, result: AnalysisResult, finishedAt: string): Promise<void> {
      const { metrics, transcript, timeline } = result;
      const question = await db
        .selectFrom('interview_video')
        .innerJoin('interview_question', 'interview_question.id', 'interview_video.question_id')
        .innerJoin('interview_session', 'interview_session.id', 'interview_video.session_id')
        .leftJoin('job_posting', 'job_posting.id', 'interview_session.job_posting_id')
        .leftJoin('portfolio', 'portfolio.id', 'interview_session.portfolio_id')
        .select([
          'interview_question.text',
          'interview_question.type',
          'job_posting.raw_text as posting_text',
          'portfolio.parsed_text as portfolio_text',
          'portfolio.summary as portfolio_summary',
        ])
        .where('interview_video.id', '=', job.video_id)
        .executeTakeFirst();
      const lang = job.language as FeedbackLang;
      // Content first: with a key, its rubric and the coaching each ask Gemini once.
      let content: StoredContent;
      let rubricQuotesDropped: number | null = null;
      if (transcript?.text.trim()) {
        const analysed = await contentAnalysis(
          {
            transcript,
            duration_sec: result.video.duration_sec,
            question: { text: question?.text ?? '', type: question?.type ?? null },
            posting_text: question?.posting_text ?? null,
            portfolio_text: question?.portfolio_text || question?.portfolio_summary || null,
          },
          gemini,
          { timeoutMs: geminiTimeoutMs, lang },
        );
        content = { content: analysed.content, reason: null };
        rubricQuotesDropped = analysed.rubric_quotes_dropped;
      } else {
        const why = metrics.speech?.stt_message ?? metrics.speech?.stt_status ?? 'the speech stage did not run';
        content = { content: null, reason: transcript ? 'The transcript is empty.' : `No transcript: ${why}` };
      }
      const coaching = await coachingFeedback(
        { metrics, question: question?.text ?? '', transcript: transcript?.text ?? null, lang },
        gemini,
        geminiTimeoutMs,
      );
      const feedback = [
        ...coaching.items.map((item) => ({ ...item, category: 'delivery' as const })),
        ...(content.content ? contentFeedback(content.content, lang) : []),
      ];
      const measures: StoredMeasures = {
        emotion_distribution: metrics.emotion_distribution,
        nod_times_sec: metrics.nod_times_sec,
        blink_times_sec: metrics.blink_times_sec,
        blink_count: metrics.blink_count,
        blink_rate_per_min: metrics.blink_rate_per_min,
        gaze_away_segments: metrics.gaze_away_segments,
        longest_stretches: metrics.longest_stretches,
        speech: metrics.speech,
      };
      await db.transaction().execute(async (trx) => {
        for (const table of ['interview_transcript', 'nonverbal_metrics', 'nonverbal_timeline', 'feedback'] as const) {
          await trx.deleteFrom(table).where('video_id', '=', job.video_id).execute();
        }
        if (transcript) {
          await trx
            .insertInto('interview_transcript')
            .values({
              id: randomUUID(),
              video_id: job.video_id,
              text: transcript.text,
              language: transcript.language,
              segments_json: JSON.stringify({ segments: transcript.segments, words: transcript.words }),
              created_at: finishedAt,
            })
            .execute();
        }
        await trx
          .insertInto('nonverbal_metrics')
          .values({
            id: randomUUID(),
            video_id: job.video_id,
            ...originalMetrics(metrics),
            metadata_json: JSON.stringify(storedMetadata(metrics.metadata, coaching, lang, rubricQuotesDropped)),
            measures_json: JSON.stringify(measures),
            content_json: JSON.stringify(content),
            created_at: finishedAt,
          })
          .execute();
        await trx
          .insertInto('nonverbal_timeline')
          .values({
            id: randomUUID(),
            video_id: job.video_id,
            timeline_json: JSON.stringify(timeline),
            created_at: finishedAt,
          })
          .execute();
        if (feedback.length) {
          await trx
            .insertInto('feedback')
            .values(
              feedback.map((item, position) => ({
                id: randomUUID(),
                video_id: job.video_id,
                ...item,
                position,
                created_at: finishedAt,
              })),
            )
            .execute();
        }
        // Only the run that holds the job (its attempt, still running) may finish it; a stale one (its
        // worker was taken for dead, the job runs elsewhere) rolls back.
        const { numUpdatedRows } = await trx
          .updateTable('analysis_job')
          .set({ status: 'succeeded', stage: 'done', progress: 1, error: null, finished_at: finishedAt })
          .where('id', '=', job.id)
          .where('attempts', '=', job.attempts)
          .where('status', '=', 'running')
          .executeTakeFirst();
        if (numUpdatedRows === 0n) throw new JobSuperseded(job.id);
      });
    },

    /** The original's analyze reply, from what is stored. */
    async analyzeReply(videoId: string, lang: FeedbackLang) {
      const stored = await storedResults(videoId, lang);
      if (!stored) throw new Errors.VideoDeleted(); // between the job's end and this read
      return {
        video_id: videoId,
        metrics: stored.metrics,
        feedback: stored.feedback.map((item) => item.message),
        feedback_mode: stored.metrics.metadata?.feedback_mode ?? 'rule-based',
        alerts: stored.alerts,
        transcript: stored.transcript?.text ?? null,
        database_records: {
          transcript_id: stored.transcript?.id ?? null,
          metrics_id: stored.metricsId,
          timeline_id: stored.timelineId!,
          feedback_ids: stored.feedback.map((item) => item.id),
        },
      };
    },

    /** The original's results shape, plus alerts, the new measures and the latest job. */
    async results(userId: string, videoId: string, latestJob: Job | undefined, lang: FeedbackLang) {
      const video = await get(userId, videoId);
      const stored = await storedResults(videoId, lang);
      return {
        video: {
          id: video.id,
          user_id: video.user_id,
          session_id: video.session_id,
          question_id: video.question_id,
          duration_sec: video.duration_sec,
          created_at: video.created_at,
        },
        metrics: stored?.metrics ?? null,
        metadata: stored?.metrics.metadata ?? null,
        alerts: stored?.alerts ?? [],
        feedbacks: (stored?.feedback ?? []).map(
          ({ id, title, message, severity, level, start_sec, end_sec, category, lang: itemLang }) => ({
            id,
            title,
            message,
            severity,
            level,
            start_sec,
            end_sec,
            category: category ?? 'delivery',
            lang: itemLang,
          }),
        ),
        transcript: stored?.transcript?.text ?? null,
        transcript_language: stored?.transcript?.language ?? null,
        transcript_segments: parse(stored?.transcript?.segments_json ?? null),
        timeline: stored ? stored.timeline : null,
        timeline_available: Boolean(stored && stored.timeline.length),
        analysis: latestJob ? jobView(latestJob) : null,
      };
    },
  };
}

export function jobView(job: Job) {
  return {
    job_id: job.id,
    video_id: job.video_id,
    status: job.status,
    stage: job.stage,
    progress: job.progress,
    error: job.error,
    error_kind: job.error_kind,
    attempts: job.attempts,
    created_at: job.created_at,
    started_at: job.started_at,
    finished_at: job.finished_at,
  };
}

export type VideoService = ReturnType<typeof createVideoService>;
