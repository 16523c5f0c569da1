import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import { findOwned, listOwned } from '../db/owned.ts';
import type { InterviewAnswerTable, InterviewQuestionTable, InterviewSessionTable } from '../db/schema.ts';
import { Errors } from '../http/errors.ts';
import type { JobPostingService } from '../job-postings/service.ts';
import type { PortfolioService } from '../portfolios/service.ts';
import type { AnswerCreate, QuestionCreate, SessionCreate } from './schemas.ts';

export type Session = Selectable<InterviewSessionTable>;
export type Question = Selectable<InterviewQuestionTable>;
export type Answer = Selectable<InterviewAnswerTable>;

export function createInterviewService(db: Db, portfolios: PortfolioService, jobPostings: JobPostingService) {
  async function getSession(userId: string, sessionId: string): Promise<Session> {
    const session = await findOwned(db, 'interview_session', userId, sessionId);
    if (!session) throw new Errors.NotFound('Interview session');
    return session;
  }

  /** A question of one of the user's sessions. */
  async function getQuestion(userId: string, questionId: string): Promise<Question> {
    const question = await db
      .selectFrom('interview_question as q')
      .innerJoin('interview_session as s', 's.id', 'q.session_id')
      .selectAll('q')
      .where('q.id', '=', questionId)
      .where('s.user_id', '=', userId)
      .executeTakeFirst();
    if (!question) throw new Errors.NotFound('Question');
    return question;
  }

  return {
    getSession,
    getQuestion,

    async createSession(userId: string, input: SessionCreate): Promise<Session> {
      // Only the caller's own documents may be attached (the original accepted anyone's).
      if (input.portfolio_id) await portfolios.get(userId, input.portfolio_id);
      if (input.job_posting_id) await jobPostings.get(userId, input.job_posting_id);
      const session: Session = {
        id: randomUUID(),
        user_id: userId,
        portfolio_id: input.portfolio_id ?? null,
        job_posting_id: input.job_posting_id ?? null,
        title: input.title ?? null,
        status: input.status ?? 'in_progress',
        completed_at: input.status === 'completed' ? new Date().toISOString() : null,
        created_at: new Date().toISOString(),
      };
      await db.insertInto('interview_session').values(session).execute();
      return session;
    },

    async listSessions(userId: string, page: { offset: number; limit: number }): Promise<Session[]> {
      return listOwned(db, 'interview_session', userId, page);
    },

    /** Marks the session completed; completing it again keeps the first completion time. */
    async completeSession(userId: string, sessionId: string): Promise<Session> {
      const session = await getSession(userId, sessionId);
      const completed = { status: 'completed', completed_at: session.completed_at ?? new Date().toISOString() };
      await db.updateTable('interview_session').set(completed).where('id', '=', sessionId).execute();
      return { ...session, ...completed };
    },

    async addQuestion(userId: string, sessionId: string, input: QuestionCreate): Promise<Question> {
      await getSession(userId, sessionId);
      if (input.parent_question_id) {
        const parent = await getQuestion(userId, input.parent_question_id);
        if (parent.session_id !== sessionId) {
          throw new Errors.InvalidReference('parent_question_id must be a question of the same session');
        }
      }
      let order = input.order;
      if (order === undefined) {
        const last = await db
          .selectFrom('interview_question')
          .select((eb) => eb.fn.max('order').as('max_order'))
          .where('session_id', '=', sessionId)
          .executeTakeFirst();
        order = Number(last?.max_order ?? 0) + 1;
      }
      const question: Question = {
        id: randomUUID(),
        session_id: sessionId,
        order,
        text: input.text,
        type: input.type ?? 'general',
        source: input.source ?? 'user',
        parent_question_id: input.parent_question_id ?? null,
        created_at: new Date().toISOString(),
      };
      await db.insertInto('interview_question').values(question).execute();
      return question;
    },

    async listQuestions(userId: string, sessionId: string): Promise<Question[]> {
      await getSession(userId, sessionId);
      return db
        .selectFrom('interview_question')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('order')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    async addAnswer(userId: string, questionId: string, input: AnswerCreate): Promise<Answer> {
      await getQuestion(userId, questionId);
      const answer: Answer = {
        id: randomUUID(),
        question_id: questionId,
        text: input.text,
        audio_url: input.audio_url ?? null,
        created_at: new Date().toISOString(),
      };
      await db.insertInto('interview_answer').values(answer).execute();
      return answer;
    },

    async listAnswers(userId: string, questionId: string): Promise<Answer[]> {
      await getQuestion(userId, questionId);
      return db
        .selectFrom('interview_answer')
        .selectAll()
        .where('question_id', '=', questionId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },
  };
}

export type InterviewService = ReturnType<typeof createInterviewService>;
