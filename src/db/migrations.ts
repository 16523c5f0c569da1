// Schema migrations, written once for both SQLite and PostgreSQL. Never edit a shipped migration; add one.
import { sql, type Kysely, type Migration } from 'kysely';

// `double precision` gives REAL affinity on SQLite and 8-byte floats on PostgreSQL (`real` is 4 bytes there).
const FLOAT = 'double precision';

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('user')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text')
      .addColumn('level', 'text')
      .addColumn('github_username', 'text')
      .addColumn('github_token', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('portfolio')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
      .addColumn('file_url', 'text', (c) => c.notNull())
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('parsed_text', 'text')
      .addColumn('summary', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('job_posting')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
      .addColumn('company_name', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('source_url', 'text')
      .addColumn('raw_text', 'text', (c) => c.notNull())
      .addColumn('parsed_skills', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('interview_session')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
      .addColumn('portfolio_id', 'text', (c) => c.references('portfolio.id').onDelete('set null'))
      .addColumn('job_posting_id', 'text', (c) => c.references('job_posting.id').onDelete('set null'))
      .addColumn('title', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('interview_question')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull().references('interview_session.id').onDelete('cascade'))
      .addColumn('order', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('parent_question_id', 'text', (c) => c.references('interview_question.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('interview_answer')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('question_id', 'text', (c) => c.notNull().references('interview_question.id').onDelete('cascade'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('audio_url', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('interview_video')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
      .addColumn('session_id', 'text', (c) => c.notNull().references('interview_session.id').onDelete('cascade'))
      .addColumn('question_id', 'text', (c) => c.notNull().references('interview_question.id').onDelete('cascade'))
      .addColumn('video_url', 'text', (c) => c.notNull())
      .addColumn('audio_url', 'text')
      .addColumn('duration_sec', FLOAT)
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    // One transcript, one metrics row and one timeline per video: re-analysis replaces them.
    await db.schema
      .createTable('interview_transcript')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('video_id', 'text', (c) => c.notNull().unique().references('interview_video.id').onDelete('cascade'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('language', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('nonverbal_metrics')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('video_id', 'text', (c) => c.notNull().unique().references('interview_video.id').onDelete('cascade'))
      .addColumn('center_gaze_ratio', FLOAT)
      .addColumn('smile_ratio', FLOAT)
      .addColumn('nod_count', 'integer')
      .addColumn('nod_rate_per_min', FLOAT)
      .addColumn('wpm', FLOAT)
      .addColumn('filler_count', 'integer')
      .addColumn('primary_emotion', 'text')
      .addColumn('metadata_json', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('nonverbal_timeline')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('video_id', 'text', (c) => c.notNull().unique().references('interview_video.id').onDelete('cascade'))
      .addColumn('timeline_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('feedback')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('video_id', 'text', (c) => c.notNull().references('interview_video.id').onDelete('cascade'))
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('start_sec', FLOAT)
      .addColumn('end_sec', FLOAT)
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    const indexes: Array<[table: string, column: string]> = [
      ['portfolio', 'user_id'],
      ['job_posting', 'user_id'],
      ['interview_session', 'user_id'],
      ['interview_question', 'session_id'],
      ['interview_answer', 'question_id'],
      ['interview_video', 'user_id'],
      ['interview_video', 'session_id'],
      ['interview_video', 'question_id'],
      ['feedback', 'video_id'],
    ];
    for (const [table, column] of indexes) {
      await db.schema.createIndex(`${table}_${column}_idx`).on(table).column(column).execute();
    }
  },
};

/**
 * Durable analysis jobs: at most one queued or running job per video (a partial unique index). The
 * new measures (speech, blinks, gaze-away segments), the transcript's times and the feedback's order
 * get columns of their own.
 */
const analysisJobs: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('nonverbal_metrics').addColumn('measures_json', 'text').execute();
    await db.schema.alterTable('interview_transcript').addColumn('segments_json', 'text').execute();
    // Feedback items keep the order they were written in (all rows of one analysis share a time).
    await db.schema.alterTable('feedback').addColumn('position', 'integer').execute();
    await db.schema
      .createTable('analysis_job')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('video_id', 'text', (c) => c.notNull().references('interview_video.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('stage', 'text')
      .addColumn('progress', FLOAT, (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('analysis_job_video_id_idx').on('analysis_job').column('video_id').execute();
    await db.schema
      .createIndex('analysis_job_one_active_per_video')
      .on('analysis_job')
      .column('video_id')
      .unique()
      .where(sql.ref('status'), 'in', ['queued', 'running'])
      .execute();
    await db.schema
      .createIndex('analysis_job_status_idx')
      .on('analysis_job')
      .columns(['status', 'created_at'])
      .execute();
  },
};

/**
 * A failed job keeps whose fault it was, so the file's faults answer 422 and ours 500; and jobs are
 * looked up by user, to take turns between users when claiming the next one.
 */
const jobErrorKindAndUserIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('analysis_job').addColumn('error_kind', 'text').execute();
    await db.schema.createIndex('analysis_job_user_id_idx').on('analysis_job').column('user_id').execute();
  },
};

/**
 * Content analysis: the content block of each result (`content_json` on metrics: the analysis, or null
 * and the reason), and each feedback item's category. Items written before are all about delivery.
 */
const contentAnalysis: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('nonverbal_metrics').addColumn('content_json', 'text').execute();
    await db.schema.alterTable('feedback').addColumn('category', 'text').execute();
    await sql`UPDATE feedback SET category = 'delivery'`.execute(db);
  },
};

export const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '002_analysis_jobs': analysisJobs,
  '003_job_error_kind_and_user_index': jobErrorKindAndUserIndex,
  '004_content_analysis': contentAnalysis,
};

/** Tables in the order they can be dropped (children first). */
export const TABLES_CHILDREN_FIRST = [
  'analysis_job',
  'feedback',
  'nonverbal_timeline',
  'nonverbal_metrics',
  'interview_transcript',
  'interview_video',
  'interview_answer',
  'interview_question',
  'interview_session',
  'job_posting',
  'portfolio',
  'user',
] as const;
