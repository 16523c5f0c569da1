// The one query behind attempts, progress and the report: a user's analysed answer videos (those with
// a stored metrics row) with what their figures are read from, oldest first. One statement, whatever
// the number of answers.
import type { Db } from '../db/index.ts';
import type { AnalysisRow } from './figures.ts';

export interface AnsweredVideo extends AnalysisRow {
  video_id: string;
  recorded_at: string;
  analysed_at: string;
  session_id: string;
  session_title: string | null;
  question_id: string;
  question_type: string;
  question_text: string;
}

export interface AnswerFilter {
  userId: string;
  questionId?: string;
  sessionId?: string;
  /** ISO-8601 UTC bounds on the recording time: from ≤ t < before. */
  from?: string;
  before?: string;
}

/** Stored JSON text, or null when absent or not JSON (read defensively: nothing here throws). */
function parse(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export async function analysedAnswers(db: Db, filter: AnswerFilter): Promise<AnsweredVideo[]> {
  let query = db
    .selectFrom('interview_video as v')
    .innerJoin('nonverbal_metrics as m', 'm.video_id', 'v.id')
    .innerJoin('interview_question as q', 'q.id', 'v.question_id')
    .innerJoin('interview_session as s', 's.id', 'v.session_id')
    .select([
      'v.id as video_id',
      'v.created_at as recorded_at',
      'm.created_at as analysed_at',
      'v.session_id',
      's.title as session_title',
      'v.question_id',
      'q.type as question_type',
      'q.text as question_text',
      'm.center_gaze_ratio',
      'm.smile_ratio',
      'm.nod_count',
      'm.wpm',
      'm.filler_count',
      'm.metadata_json',
      'm.measures_json',
      'm.content_json',
    ])
    .where('v.user_id', '=', filter.userId)
    .where('s.user_id', '=', filter.userId);
  if (filter.questionId) query = query.where('v.question_id', '=', filter.questionId);
  if (filter.sessionId) query = query.where('v.session_id', '=', filter.sessionId);
  if (filter.from) query = query.where('v.created_at', '>=', filter.from);
  if (filter.before) query = query.where('v.created_at', '<', filter.before);
  const rows = await query.orderBy('v.created_at').orderBy('v.id').execute();
  return rows.map(({ metadata_json, measures_json, content_json, ...row }) => ({
    ...row,
    metadata: parse(metadata_json),
    measures: parse(measures_json),
    content: parse(content_json),
  }));
}
