// Practice history: the attempts at one question compared, progress over a period, and a session's
// report. Every reply comes from a fixed number of queries, however many answers there are.
import type { Db } from '../db/index.ts';
import type { Lang } from '../config.ts';
import { feedbackForReader } from '../analysis/feedback/index.ts';
import { Errors } from '../http/errors.ts';
import type { InterviewService } from '../interviews/service.ts';
import { storedMetricsBlock } from '../videos/service.ts';
import { analysedAnswers, type AnswerFilter, type AnsweredVideo } from './answers.ts';
import { extractFigures, figureList, HISTORY_RULES, type FigureKey, type Target } from './figures.ts';
import type { Period } from './period.ts';
import { compareAttempts, figureTrends, inRangeFlags, rankHabits, type Measured } from './summary.ts';

const SEVERITY_RANK: Record<string, number> = { warning: 0, suggestion: 1, info: 2 };

type MeasuredAnswer = AnsweredVideo & Measured;

function lengthTarget(targets: Partial<Record<FigureKey, Target>>): [number, number] | null {
  const range = targets.length_sec;
  return range ? [range.min!, range.max!] : null;
}

/** The figures of one answer as the replies show them. */
function figuresOf(answer: MeasuredAnswer) {
  return {
    figures: answer.values,
    in_range: inRangeFlags(answer),
    length_target_sec: lengthTarget(answer.targets),
  };
}

export function createProgressService(db: Db, interviews: Pick<InterviewService, 'getQuestion' | 'getSession'>) {
  /** The one query. */
  async function answers(filter: AnswerFilter): Promise<MeasuredAnswer[]> {
    const rows = await analysedAnswers(db, filter);
    return rows.map((row) => ({ ...row, ...extractFigures(row) }));
  }

  return {
    /** Every analysed answer to a question, oldest first, and the latest against the one before. */
    /** The question's analysed answers; the latest, or the one `videoId` names, compared with the one before. */
    async attempts(userId: string, questionId: string, lang: Lang, videoId?: string) {
      const question = await interviews.getQuestion(userId, questionId);
      const attempts = await answers({ userId, questionId });
      const compared = videoId === undefined ? attempts.length - 1 : attempts.findIndex((a) => a.video_id === videoId);
      if (compared < 0 && videoId !== undefined) throw new Errors.NotFound('Analysed answer of this question');
      const latest = attempts[compared];
      const previous = compared > 0 ? attempts[compared - 1] : undefined;
      let comparison = null;
      if (latest && previous) {
        const changes = compareAttempts(previous, latest);
        comparison = {
          previous_video_id: previous.video_id,
          latest_video_id: latest.video_id,
          changes,
          improved: changes.filter((change) => change.outcome === 'improved').map((change) => change.key),
          worse: changes.filter((change) => change.outcome === 'worse').map((change) => change.key),
        };
      }
      return {
        question: { id: question.id, session_id: question.session_id, text: question.text, type: question.type },
        figures: figureList(lang),
        attempts: attempts.map((answer, index) => ({
          attempt: index + 1,
          video_id: answer.video_id,
          recorded_at: answer.recorded_at,
          analysed_at: answer.analysed_at,
          ...figuresOf(answer),
        })),
        comparison,
      };
    },

    /**
     * The user's analysed answers recorded in the period, with each figure's trend and share in range;
     * and the habits of the latest answer to each question, ranked as a session's report ranks them.
     */
    async progress(userId: string, period: Period, lang: Lang) {
      const measured = await answers({ userId, from: period.from, before: period.before });
      const latestOf = new Map(measured.map((answer) => [answer.question_id, answer])); // oldest first: the last wins
      const habits = rankHabits([...latestOf.values()], lang);
      return {
        from: period.from ?? null,
        before: period.before ?? null,
        figures: figureList(lang),
        rules: HISTORY_RULES,
        answers: measured.map((answer) => ({
          video_id: answer.video_id,
          recorded_at: answer.recorded_at,
          session_id: answer.session_id,
          session_title: answer.session_title,
          question_id: answer.question_id,
          question_type: answer.question_type,
          ...figuresOf(answer),
        })),
        trends: figureTrends(measured),
        strongest: habits.strongest,
        practise_next: habits.practise_next,
      };
    },

    /** Per question the latest attempt with its top feedback; the session's habits; what is unanswered. */
    async report(userId: string, sessionId: string, lang: Lang) {
      const session = await interviews.getSession(userId, sessionId);
      const [questions, measured, videos] = await Promise.all([
        db
          .selectFrom('interview_question')
          .select(['id', 'order', 'text', 'type'])
          .where('session_id', '=', sessionId)
          .orderBy('order')
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
        answers({ userId, sessionId }),
        db
          .selectFrom('interview_video')
          .select(['question_id', (eb) => eb.fn.countAll().as('videos')])
          .where('session_id', '=', sessionId)
          .groupBy('question_id')
          .execute(),
      ]);
      const attemptsOf = new Map<string, number>();
      const latestOf = new Map<string, MeasuredAnswer>();
      for (const answer of measured) {
        attemptsOf.set(answer.question_id, (attemptsOf.get(answer.question_id) ?? 0) + 1);
        latestOf.set(answer.question_id, answer); // oldest first: the last one wins
      }
      const videosOf = new Map(videos.map((row) => [row.question_id, Number(row.videos)]));
      const latestIds = [...latestOf.values()].map((answer) => answer.video_id);
      const [feedback, metrics] = latestIds.length
        ? await Promise.all([
            db
              .selectFrom('feedback')
              .select(['video_id', 'title', 'message', 'severity', 'level', 'start_sec', 'end_sec', 'category'])
              .where('video_id', 'in', latestIds)
              .orderBy('position')
              .orderBy('created_at')
              .execute(),
            db.selectFrom('nonverbal_metrics').selectAll().where('video_id', 'in', latestIds).execute(),
          ])
        : [[], []];
      const stored = new Map(metrics.map((row) => [row.video_id, storedMetricsBlock(row)]));
      const rowsOf = new Map<string, typeof feedback>();
      for (const item of feedback) rowsOf.set(item.video_id, [...(rowsOf.get(item.video_id) ?? []), item]);
      // In the reader's language where the rules can rebuild the items, as the results route does.
      const feedbackOf = new Map(
        [...rowsOf].map(([videoId, rows]) => {
          const block = stored.get(videoId);
          return [videoId, block ? feedbackForReader(rows, block, lang) : rows];
        }),
      );
      const top = (videoId: string) =>
        [...(feedbackOf.get(videoId) ?? [])]
          .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3)) // stable: keeps position order
          .slice(0, HISTORY_RULES.report_feedback_items)
          .map(({ title, message, severity, start_sec, end_sec }) => ({
            title,
            message,
            severity,
            start_sec,
            end_sec,
          }));

      const habits = rankHabits([...latestOf.values()], lang);
      return {
        session: { id: session.id, title: session.title, status: session.status, created_at: session.created_at },
        figures: figureList(lang),
        rules: HISTORY_RULES,
        questions: questions.map((question) => {
          const latest = latestOf.get(question.id);
          return {
            question_id: question.id,
            order: question.order,
            text: question.text,
            type: question.type,
            attempts: attemptsOf.get(question.id) ?? 0,
            latest: latest
              ? {
                  video_id: latest.video_id,
                  recorded_at: latest.recorded_at,
                  analysed_at: latest.analysed_at,
                  ...figuresOf(latest),
                  feedback: top(latest.video_id),
                }
              : null,
          };
        }),
        strongest: habits.strongest,
        practise_next: habits.practise_next,
        habits: habits.scores,
        unanswered: questions
          .filter((question) => !latestOf.has(question.id))
          .map((question) => ({
            question_id: question.id,
            order: question.order,
            text: question.text,
            type: question.type,
            video_pending: (videosOf.get(question.id) ?? 0) > 0,
          })),
      };
    },
  };
}

export type ProgressService = ReturnType<typeof createProgressService>;
