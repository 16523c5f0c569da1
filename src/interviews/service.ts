import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import { findOwned, listOwned } from '../db/owned.ts';
import type { InterviewAnswerTable, InterviewQuestionTable, InterviewSessionTable } from '../db/schema.ts';
import { Errors } from '../http/errors.ts';
import type { JobPostingService } from '../job-postings/service.ts';
import type { PortfolioService } from '../portfolios/service.ts';
import type { Documents, Lang, QuestionGenerator } from '../llm/questions.ts';
import type { AnswerCreate, QuestionCreate, SessionCreate } from './schemas.ts';

export type Session = Selectable<InterviewSessionTable>;
export type Question = Selectable<InterviewQuestionTable>;
export type Answer = Selectable<InterviewAnswerTable>;

export function createInterviewService(
  db: Db,
  portfolios: PortfolioService,
  jobPostings: JobPostingService,
  generator: QuestionGenerator,
) {
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

  async function nextOrder(sessionId: string): Promise<number> {
    const last = await db
      .selectFrom('interview_question')
      .select((eb) => eb.fn.max('order').as('max_order'))
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
    return Number(last?.max_order ?? 0) + 1;
  }

  async function insertQuestion(fields: Omit<Question, 'id' | 'created_at'>): Promise<Question> {
    const question: Question = { id: randomUUID(), ...fields, created_at: new Date().toISOString() };
    await db.insertInto('interview_question').values(question).execute();
    return question;
  }

  /** The newest written answer to the question, else the transcript of its newest analysed video. */
  async function latestAnswer(questionId: string): Promise<string | null> {
    const written = await db
      .selectFrom('interview_answer')
      .select('text')
      .where('question_id', '=', questionId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (written) return written.text;
    const spoken = await db
      .selectFrom('interview_transcript as t')
      .innerJoin('interview_video as v', 'v.id', 't.video_id')
      .select('t.text')
      .where('v.question_id', '=', questionId)
      .where('t.text', '!=', '')
      .orderBy('t.created_at', 'desc')
      .executeTakeFirst();
    return spoken?.text ?? null;
  }

  /** The session's documents: its portfolio's text and its job posting. */
  async function documentsOf(session: Session): Promise<Documents> {
    const portfolio = session.portfolio_id ? await portfolios.get(session.user_id, session.portfolio_id) : null;
    const posting = session.job_posting_id ? await jobPostings.get(session.user_id, session.job_posting_id) : null;
    const user = await db.selectFrom('user').select('role').where('id', '=', session.user_id).executeTakeFirst();
    return {
      portfolioText: portfolio?.parsed_text || portfolio?.summary || null,
      postingText: posting?.raw_text ?? null,
      company: posting?.company_name ?? null,
      role: posting?.title ?? null,
      candidateRole: user?.role ?? null,
    };
  }

  /** Generates questions from the session's documents and appends them after its existing ones. */
  async function generateQuestions(session: Session, lang: Lang): Promise<Question[]> {
    const generated = await generator.initial(await documentsOf(session), lang);
    const first = await nextOrder(session.id);
    const created: Question[] = [];
    for (const [index, question] of generated.value.entries()) {
      created.push(
        await insertQuestion({
          session_id: session.id,
          order: first + index,
          text: question.text,
          type: question.type,
          source: generated.source,
          parent_question_id: null,
        }),
      );
    }
    return created;
  }

  return {
    getSession,
    getQuestion,

    async generateQuestions(userId: string, sessionId: string, lang: Lang): Promise<Question[]> {
      return generateQuestions(await getSession(userId, sessionId), lang);
    },

    /** A follow-up to a question from the candidate's answer (given, or the latest recorded one). */
    async followUp(userId: string, questionId: string, answerText: string | undefined, lang: Lang): Promise<Question> {
      const parent = await getQuestion(userId, questionId);
      const answer = answerText ?? (await latestAnswer(questionId));
      if (!answer)
        throw new Errors.InvalidReference(
          'No answer to follow up on: send answer_text, record an answer, or analyse a video of this question first',
        );
      const generated = await generator.followUp(parent.text, answer, lang);
      // Same order as the parent and created later: it is listed right after it.
      return insertQuestion({
        session_id: parent.session_id,
        order: parent.order,
        text: generated.value,
        type: 'followup',
        source: generated.source,
        parent_question_id: parent.id,
      });
    },

    async createSession(userId: string, input: SessionCreate, lang: Lang): Promise<Session> {
      // Only the caller's own documents may be attached (the original accepted anyone's).
      if (input.portfolio_id) await portfolios.get(userId, input.portfolio_id);
      if (input.job_posting_id) await jobPostings.get(userId, input.job_posting_id);
      const generate = input.generate_questions ?? true;
      // As the original: without a portfolio named, questions come from the user's latest one.
      const portfolioId =
        input.portfolio_id ??
        (generate ? (await portfolios.list(userId, { offset: 0, limit: 1 }))[0]?.id : null) ??
        null;
      const session: Session = {
        id: randomUUID(),
        user_id: userId,
        portfolio_id: portfolioId,
        job_posting_id: input.job_posting_id ?? null,
        title: input.title ?? null,
        status: input.status ?? 'in_progress',
        completed_at: input.status === 'completed' ? new Date().toISOString() : null,
        created_at: new Date().toISOString(),
      };
      await db.insertInto('interview_session').values(session).execute();
      if (generate) await generateQuestions(session, lang);
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
      return insertQuestion({
        session_id: sessionId,
        order: input.order ?? (await nextOrder(sessionId)),
        text: input.text,
        type: input.type ?? 'general',
        source: input.source ?? 'user',
        parent_question_id: input.parent_question_id ?? null,
      });
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
