import { Type } from '@sinclair/typebox';
import { ContentAnalysisSchema } from '../analysis/content/index.ts';
import { Nullable, Timestamp, Uuid } from '../http/schemas.ts';

export const VIDEO_EXTENSIONS = ['.mp4', '.webm', '.mov', '.avi'];

export const VideoParams = Type.Object({ video_id: Uuid() });
export const JobParams = Type.Object({ job_id: Uuid() });
export const AnalyzeQuery = Type.Object({
  async: Type.Optional(
    Type.Boolean({ description: 'Answer 202 with the job at once instead of waiting for the result' }),
  ),
});

export const SignedFileQuery = Type.Object({
  user_id: Type.Optional(
    Type.String({
      description: 'With `expires` and `signature`, from POST …/playback-url: the user the URL was signed for',
    }),
  ),
  expires: Type.Optional(Type.String({ description: 'Unix time in seconds after which the signed URL stops working' })),
  signature: Type.Optional(
    Type.String({ description: 'base64url HMAC-SHA-256 over the video id, `user_id` and `expires`' }),
  ),
});

export const PlaybackUrlResponse = Type.Object({
  url: Type.String({
    description: 'Relative URL of the video file with a signature in its query; put it in a `<video src>`',
  }),
  expires_at: Timestamp,
});

export const UploadBody = Type.Object({
  file: Type.String({ format: 'binary', description: `The answer video (${VIDEO_EXTENSIONS.join(' ')})` }),
  user_id: Type.Optional(Uuid('Accepted as in the original API; must be your own id')),
  session_id: Uuid(),
  question_id: Uuid('A question of that session'),
});

export const UploadResponse = Type.Object({
  video_id: Uuid(),
  filename: Type.String(),
  file_path: Type.String({ description: 'Where it is stored, relative to DATA_DIR; never served publicly' }),
  duration_sec: Nullable(Type.Number()),
  created_at: Timestamp,
});

const JobStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);

export const VideoResponse = Type.Object({
  id: Uuid(),
  user_id: Uuid(),
  session_id: Uuid(),
  question_id: Uuid(),
  video_url: Type.String(),
  audio_url: Nullable(Type.String()),
  duration_sec: Nullable(Type.Number()),
  created_at: Timestamp,
  analysis_status: Type.Union([JobStatus, Type.Null()], {
    description: 'Status of the latest analysis job; null before the first',
  }),
});

export const SessionSummaryResponse = Type.Object({
  answers: Type.Integer({ description: 'Answer videos in the session' }),
  analysed: Type.Integer({ description: 'Of them, with results' }),
  analysing: Type.Integer({ description: 'Of them, with an analysis queued or running' }),
  center_gaze_ratio_mean: Nullable(
    Type.Number({ description: 'Mean over the analysed answers; null before the first' }),
  ),
  smile_ratio_mean: Nullable(Type.Number()),
  filler_count_mean: Nullable(Type.Number()),
});

export const JobResponse = Type.Object({
  job_id: Uuid(),
  video_id: Uuid(),
  status: JobStatus,
  stage: Nullable(Type.String()),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  error: Nullable(Type.String()),
  error_kind: Type.Union([Type.Literal('media'), Type.Literal('timeout'), Type.Literal('internal'), Type.Null()], {
    description:
      'Why it failed: the file is not a readable video (media), it ran past the time limit (timeout), or our fault (internal)',
  }),
  attempts: Type.Integer(),
  created_at: Timestamp,
  started_at: Nullable(Timestamp),
  finished_at: Nullable(Timestamp),
});

const Alert = Type.Object({
  start_t: Type.Number(),
  end_t: Type.Number(),
  severity: Type.Number(),
  kind: Type.String(),
  message: Type.String(),
});

const StretchOrNull = Nullable(Type.Object({ start_sec: Type.Number(), end_sec: Type.Number() }));

/** The metrics block: the original's fields, then the new measures; nested blocks pass through whole. */
export const MetricsResponse = Type.Object({
  center_gaze_ratio: Nullable(Type.Number()),
  smile_ratio: Nullable(Type.Number()),
  nod_count: Nullable(Type.Integer()),
  nod_rate_per_min: Nullable(Type.Number()),
  wpm: Nullable(Type.Number()),
  filler_count: Nullable(Type.Integer()),
  primary_emotion: Nullable(Type.String()),
  emotion_distribution: Type.Record(Type.String(), Type.Number()),
  blink_count: Nullable(Type.Integer()),
  blink_rate_per_min: Nullable(Type.Number()),
  nod_times_sec: Type.Optional(
    Type.Array(Type.Number(), { description: 'When each nod began (absent in results stored before)' }),
  ),
  blink_times_sec: Type.Optional(
    Type.Array(Type.Number(), { description: 'When each blink closed the eyes (absent in results stored before)' }),
  ),
  gaze_away_segments: Type.Array(
    Type.Object({ start_sec: Type.Number(), end_sec: Type.Number(), direction: Type.String() }),
  ),
  longest_stretches: Type.Optional(
    Type.Object(
      {
        eye_contact: StretchOrNull,
        smiling: StretchOrNull,
        not_smiling: StretchOrNull,
        face_missing: StretchOrNull,
      },
      {
        description:
          'The longest run of frames with eye contact, smiling, not smiling and without a face (null when none); the feedback points at them (absent in results stored before)',
      },
    ),
  ),
  speech: Type.Unknown({
    description: 'Pace, pauses, fillers with times, voice, transcription status; null without a speech stage',
  }),
  content: Nullable(ContentAnalysisSchema),
  content_reason: Nullable(
    Type.String({
      description: 'Why `content` is null: no transcript (and why), or a result stored before it existed',
    }),
  ),
  metadata: Type.Unknown({
    description: 'How the figures were computed: frame counts, thresholds, models, confidence, outliers',
  }),
});

export const AnalyzeResponse = Type.Object({
  video_id: Uuid(),
  metrics: MetricsResponse,
  feedback: Type.Array(Type.String()),
  feedback_mode: Type.String({ description: 'The mode actually used: rule-based or gemini' }),
  alerts: Type.Array(Alert),
  transcript: Nullable(Type.String()),
  database_records: Type.Object({
    transcript_id: Nullable(Uuid()),
    metrics_id: Uuid(),
    timeline_id: Uuid(),
    feedback_ids: Type.Array(Uuid()),
  }),
});

export const ResultsResponse = Type.Object({
  video: Type.Object({
    id: Uuid(),
    user_id: Uuid(),
    session_id: Uuid(),
    question_id: Uuid(),
    duration_sec: Nullable(Type.Number()),
    created_at: Timestamp,
  }),
  metrics: Nullable(MetricsResponse),
  metadata: Type.Unknown(),
  alerts: Type.Array(Alert),
  feedbacks: Type.Array(
    Type.Object({
      id: Uuid(),
      title: Type.String(),
      message: Type.String(),
      severity: Type.String(),
      level: Type.String(),
      start_sec: Nullable(Type.Number()),
      end_sec: Nullable(Type.Number()),
      category: Type.Union([Type.Literal('delivery'), Type.Literal('content')], {
        description: 'delivery: face, voice and pace; content: what the answer said (from the transcript)',
      }),
      lang: Type.Union([Type.Literal('ko'), Type.Literal('en')], {
        description:
          "The item's language: the reader's (Accept-Language) when the rules wrote it, as they are rebuilt from the stored figures; " +
          'Gemini-written delivery items stay in the language they were written in (metadata.feedback_lang)',
      }),
    }),
  ),
  transcript: Nullable(Type.String()),
  transcript_language: Nullable(Type.String()),
  transcript_segments: Type.Unknown({ description: 'Segments (and word times when known) of the transcript' }),
  timeline: Nullable(Type.Array(Type.Unknown())),
  timeline_available: Type.Boolean(),
  analysis: Nullable(JobResponse),
});

export const StatusResponse = Type.Object({
  gemini_api_enabled: Type.Boolean(),
  feedback_mode: Type.String(),
  speech_engine: Type.String({ description: 'STT_ENGINE as configured' }),
  speech_engines_configured: Type.Array(Type.String()),
  whisper_model: Type.String(),
  whisper_model_local: Type.Boolean({ description: 'The Whisper model is in WHISPER_MODEL_DIR or the download cache' }),
  face_model: Type.String(),
  face_workers: Type.Integer(),
  analysis_concurrency: Type.Integer(),
  queue: Type.Object({ queued: Type.Integer(), running: Type.Integer() }),
});
