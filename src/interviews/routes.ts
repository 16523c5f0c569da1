import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertSelf } from '../http/auth.ts';
import { ownedListRoutes } from '../http/owned-list.ts';
import { errorReplies, UserIdQuery } from '../http/schemas.ts';
import { requestLanguage, type Lang } from '../http/language.ts';
import {
  AnswerCreate,
  AnswerResponse,
  FollowUpCreate,
  FollowUpQuery,
  GenerateQuery,
  QuestionCreate,
  QuestionParams,
  QuestionResponse,
  SessionCreate,
  SessionParams,
  SessionResponse,
} from './schemas.ts';
import type { InterviewService } from './service.ts';

const tags = ['interviews'];

export const interviewRoutes: FastifyPluginAsyncTypebox<{ interviews: InterviewService; defaultLang: Lang }> = async (
  app,
  { interviews, defaultLang },
) => {
  app.post(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'Open an interview session (with questions generated from your documents)',
        description:
          'portfolio_id and job_posting_id, when given, must be your own (404 otherwise). Unless generate_questions is false, questions are generated from the portfolio (or your latest one) and the job posting, by Gemini when a key is set, else offline; fetch them with GET …/questions.',
        querystring: UserIdQuery,
        body: SessionCreate,
        response: { 201: SessionResponse, ...errorReplies(403, 404) },
      },
    },
    async (request, reply) => {
      assertSelf(request, request.query.user_id);
      const lang = requestLanguage(request, defaultLang);
      return reply.status(201).send(await interviews.createSession(request.user.id, request.body, lang));
    },
  );

  await app.register(ownedListRoutes, {
    prefix: '/sessions',
    tags,
    noun: 'sessions',
    item: SessionResponse,
    list: (userId, page) => interviews.listSessions(userId, page),
  });

  app.get(
    '/sessions/:session_id',
    {
      schema: {
        tags,
        summary: 'A session',
        params: SessionParams,
        response: { 200: SessionResponse, ...errorReplies(404) },
      },
    },
    async (request) => interviews.getSession(request.user.id, request.params.session_id),
  );

  app.patch(
    '/sessions/:session_id/complete',
    {
      schema: {
        tags,
        summary: 'Mark a session completed',
        params: SessionParams,
        response: { 200: SessionResponse, ...errorReplies(404) },
      },
    },
    async (request) => interviews.completeSession(request.user.id, request.params.session_id),
  );

  app.post(
    '/sessions/:session_id/questions',
    {
      schema: {
        tags,
        summary: 'Add a question to a session',
        params: SessionParams,
        body: QuestionCreate,
        response: { 201: QuestionResponse, ...errorReplies(404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await interviews.addQuestion(request.user.id, request.params.session_id, request.body)),
  );

  app.post(
    '/sessions/:session_id/questions/generate',
    {
      schema: {
        tags,
        summary: "Generate questions from the session's portfolio and job posting",
        description:
          'Appended after the existing questions (nothing is replaced). Gemini when a key is set, else a deterministic offline generator; source says which.',
        params: SessionParams,
        querystring: GenerateQuery,
        response: { 201: Type.Array(QuestionResponse), ...errorReplies(404) },
      },
    },
    async (request, reply) => {
      const lang = requestLanguage(request, defaultLang, request.query.lang);
      return reply
        .status(201)
        .send(await interviews.generateQuestions(request.user.id, request.params.session_id, lang));
    },
  );

  app.post(
    '/questions/:question_id/followup',
    {
      schema: {
        tags,
        summary: 'A follow-up question from the answer to a question',
        description:
          'Stored with parent_question_id and listed right after its parent. 422 when there is no answer to follow up on.',
        params: QuestionParams,
        querystring: FollowUpQuery,
        body: FollowUpCreate,
        response: { 201: QuestionResponse, ...errorReplies(404) },
      },
      // The body is optional: no body means "follow up on the latest answer".
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const lang = requestLanguage(request, defaultLang, request.query.lang);
      const question = await interviews.followUp(
        request.user.id,
        request.params.question_id,
        request.body.answer_text ?? request.query.answer_text,
        lang,
      );
      return reply.status(201).send(question);
    },
  );

  app.get(
    '/sessions/:session_id/questions',
    {
      schema: {
        tags,
        summary: "A session's questions, by order",
        params: SessionParams,
        response: { 200: Type.Array(QuestionResponse), ...errorReplies(404) },
      },
    },
    async (request) => interviews.listQuestions(request.user.id, request.params.session_id),
  );

  app.post(
    '/questions/:question_id/answers',
    {
      schema: {
        tags,
        summary: 'Record a written answer to a question',
        params: QuestionParams,
        body: AnswerCreate,
        response: { 201: AnswerResponse, ...errorReplies(404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await interviews.addAnswer(request.user.id, request.params.question_id, request.body)),
  );

  app.get(
    '/questions/:question_id/answers',
    {
      schema: {
        tags,
        summary: "A question's answers, oldest first",
        params: QuestionParams,
        response: { 200: Type.Array(AnswerResponse), ...errorReplies(404) },
      },
    },
    async (request) => interviews.listAnswers(request.user.id, request.params.question_id),
  );
};
