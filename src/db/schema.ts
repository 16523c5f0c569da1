// Row types of every table, as Kysely sees them. Ids are UUID v4 text; times are ISO-8601 text.
export interface UserTable {
  id: string;
  email: string;
  password_hash: string;
  name: string;
  role: string | null;
  level: string | null;
  github_username: string | null;
  github_token: string | null;
  created_at: string;
}

export interface PortfolioTable {
  id: string;
  user_id: string;
  file_url: string;
  filename: string;
  parsed_text: string | null;
  summary: string | null;
  created_at: string;
}

export interface JobPostingTable {
  id: string;
  user_id: string;
  company_name: string;
  title: string;
  source_url: string | null;
  raw_text: string;
  /** JSON text; decoded in replies. */
  parsed_skills: string | null;
  created_at: string;
}

export interface InterviewSessionTable {
  id: string;
  user_id: string;
  portfolio_id: string | null;
  job_posting_id: string | null;
  title: string | null;
  status: string;
  completed_at: string | null;
  created_at: string;
}

export interface InterviewQuestionTable {
  id: string;
  session_id: string;
  order: number;
  text: string;
  type: string;
  source: string;
  parent_question_id: string | null;
  created_at: string;
}

export interface InterviewAnswerTable {
  id: string;
  question_id: string;
  text: string;
  audio_url: string | null;
  created_at: string;
}

export interface InterviewVideoTable {
  id: string;
  user_id: string;
  session_id: string;
  question_id: string;
  video_url: string;
  audio_url: string | null;
  duration_sec: number | null;
  created_at: string;
}

export interface InterviewTranscriptTable {
  id: string;
  video_id: string;
  text: string;
  language: string | null;
  /** Segments and word times from the transcription engine, as JSON. */
  segments_json: string | null;
  created_at: string;
}

export interface NonverbalMetricsTable {
  id: string;
  video_id: string;
  center_gaze_ratio: number | null;
  smile_ratio: number | null;
  nod_count: number | null;
  nod_rate_per_min: number | null;
  wpm: number | null;
  filler_count: number | null;
  primary_emotion: string | null;
  metadata_json: string | null;
  /** Measures beyond the original's columns (speech, blinks, gaze-away segments), as JSON. */
  measures_json: string | null;
  /** The content analysis of the transcript, as JSON `{content, reason}`; null for results stored before it existed. */
  content_json: string | null;
  created_at: string;
}

export interface NonverbalTimelineTable {
  id: string;
  video_id: string;
  timeline_json: string;
  created_at: string;
}

export interface FeedbackTable {
  id: string;
  video_id: string;
  level: string;
  title: string;
  message: string;
  severity: string;
  start_sec: number | null;
  end_sec: number | null;
  /** Order within one analysis's feedback. */
  position: number | null;
  /** What the item is about: delivery (face, voice, pace) or content (what the answer said). */
  category: 'delivery' | 'content' | null;
  created_at: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** Why a job failed: the file (not a readable video), the time limit, or our own fault. */
export type JobErrorKind = 'media' | 'timeout' | 'internal';

export interface AnalysisJobTable {
  id: string;
  video_id: string;
  user_id: string;
  status: JobStatus;
  stage: string | null;
  progress: number;
  error: string | null;
  /** Set with `error`; null on failures recorded before the kind was kept. */
  error_kind: JobErrorKind | null;
  attempts: number;
  /** Language of the feedback: ko or en. */
  language: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface Database {
  user: UserTable;
  portfolio: PortfolioTable;
  job_posting: JobPostingTable;
  interview_session: InterviewSessionTable;
  interview_question: InterviewQuestionTable;
  interview_answer: InterviewAnswerTable;
  interview_video: InterviewVideoTable;
  interview_transcript: InterviewTranscriptTable;
  nonverbal_metrics: NonverbalMetricsTable;
  nonverbal_timeline: NonverbalTimelineTable;
  feedback: FeedbackTable;
  analysis_job: AnalysisJobTable;
}
