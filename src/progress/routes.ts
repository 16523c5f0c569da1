import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorReplies } from '../http/schemas.ts';
import { requestLanguage, type Lang } from '../http/language.ts';
import { QuestionParams, SessionParams } from '../interviews/schemas.ts';
import { parsePeriod } from './period.ts';
import { AttemptsQuery, AttemptsResponse, ProgressQuery, ProgressResponse, ReportResponse } from './schemas.ts';
import type { ProgressService } from './service.ts';

const FIGURES_NOTE =
  'Key figures are listed in `figures` (where each comes from, which direction is better, its target range from FEEDBACK_RULES); null values were not measured.';

/** Practice history. Registered under /api with full paths, beside the interview and user routes. */
export const progressRoutes: FastifyPluginAsyncTypebox<{ progress: ProgressService; defaultLang: Lang }> = async (
  app,
  { progress, defaultLang },
) => {
  app.get(
    '/interviews/questions/:question_id/attempts',
    {
      schema: {
        tags: ['interviews'],
        summary: "A question's analysed answers side by side, and what changed in the latest",
        description: `Every analysed answer video of the question, oldest first, with its key delivery and content figures; \`comparison\` sets the latest (or the answer \`video_id\` names; 404 if it is not an analysed answer of the question) against the one before: signed differences, the direction that counts as better, and improved/worse (for ranged figures, closer to the range is better). ${FIGURES_NOTE}`,
        params: QuestionParams,
        querystring: AttemptsQuery,
        response: { 200: AttemptsResponse, ...errorReplies(404) },
      },
    },
    async (request) =>
      progress.attempts(
        request.user.id,
        request.params.question_id,
        requestLanguage(request, defaultLang),
        request.query.video_id,
      ),
  );

  app.get(
    '/users/me/progress',
    {
      schema: {
        tags: ['users'],
        summary: 'Your analysed answers over a period, with each figure’s trend and share in range',
        description: `Per analysed answer recorded in the period (oldest first): time, session, question type and key figures. Per figure: the mean, the share of answers inside its target range, and the trend, the mean of the first five measured answers against the last five (half each below ten). Without from/to, all your answers. A constant number of queries, however many answers. ${FIGURES_NOTE}`,
        querystring: ProgressQuery,
        response: { 200: ProgressResponse, ...errorReplies() },
      },
    },
    async (request) =>
      progress.progress(request.user.id, parsePeriod(request.query), requestLanguage(request, defaultLang)),
  );

  app.get(
    '/interviews/sessions/:session_id/report',
    {
      schema: {
        tags: ['interviews'],
        summary: "A session's report: latest attempts, strongest habits, what to practise next",
        description: `Per question the latest attempt's figures and top feedback; for the session, habits (groups of figures) scored by the share of the latest attempts' figures inside their target: the two strongest and the two to practise next, each with the figures behind it; and the questions without an analysed answer. ${FIGURES_NOTE}`,
        params: SessionParams,
        response: { 200: ReportResponse, ...errorReplies(404) },
      },
    },
    async (request) =>
      progress.report(request.user.id, request.params.session_id, requestLanguage(request, defaultLang)),
  );
};
