// The original client's capability radar: POST …/capabilities/generate, then GET …/capabilities.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorReplies, IdParams, Nullable, Timestamp, Uuid } from '../http/schemas.ts';
import { requestLanguage, type Lang } from '../http/language.ts';
import { Role } from '../users/schemas.ts';
import type { CapabilityService } from './service.ts';

const tags = ['portfolios'];

const EvaluationItem = Type.Object({
  capability_index: Type.Integer({ minimum: 1, maximum: 6 }),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  reason: Type.String({ description: 'The evidence the score rests on, quoted' }),
  feedback: Type.String(),
  action_items: Type.Array(Type.String()),
});

const Source = Type.Union([Type.Literal('gemini'), Type.Literal('evidence')], {
  description: 'gemini, or evidence: the deterministic scorer (README: Capabilities)',
});

const GenerateReply = Type.Object({
  portfolio_id: Uuid(),
  role: Nullable(Type.String()),
  job_posting_id: Nullable(Uuid()),
  source: Source,
  fallback_reason: Nullable(Type.String({ description: "Why Gemini's answer was not used, when a key is set" })),
  evaluations: Type.Array(EvaluationItem),
});

const CapabilitiesReply = Type.Object({
  portfolio_id: Uuid(),
  role: Nullable(Type.String()),
  source: Source,
  updated_at: Timestamp,
  capabilities: Type.Array(Type.Object({ skill: Type.String(), value: Type.Integer(), skill_ko: Type.String() })),
  improvement_suggestions: Type.Array(
    Type.Object({
      id: Type.String(),
      capability: Type.String(),
      capability_ko: Type.String(),
      currentScore: Type.Integer(),
      title: Type.String(),
      description: Type.String(),
      actionItems: Type.Array(Type.String()),
    }),
  ),
  evaluations: Type.Array(EvaluationItem),
});

const GenerateQuery = Type.Object({
  job_posting_id: Type.Optional(Uuid('One of your postings; default: your newest')),
  role: Type.Optional(Role),
  lang: Type.Optional(Type.Union([Type.Literal('ko'), Type.Literal('en')])),
});

export const capabilityRoutes: FastifyPluginAsyncTypebox<{
  capabilities: CapabilityService;
  defaultLang: Lang;
}> = async (app, { capabilities, defaultLang }) => {
  app.post(
    '/:id/capabilities/generate',
    {
      schema: {
        tags,
        summary: "Score the portfolio's six capabilities for your role (replaces an earlier evaluation)",
        description:
          'Takes no body (an empty JSON body is fine). Role: `role`, else your profile’s; ROLE_FE, ROLE_BE and ROLE_AI/ROLE_ML have their own six capabilities, every other role the general set. ' +
          'With a Gemini key, Gemini scores them (JSON against a schema, validated); otherwise, or when it fails, the deterministic scorer scores them from evidence in the portfolio and the posting. 422 for a portfolio without text.',
        params: IdParams,
        querystring: GenerateQuery,
        response: { 200: GenerateReply, ...errorReplies(404) },
      },
    },
    async (request) => {
      const lang = requestLanguage(request, defaultLang, request.query.lang);
      const result = await capabilities.generate(request.user.id, request.params.id, {
        jobPostingId: request.query.job_posting_id,
        role: request.query.role,
        lang,
      });
      return { ...result, fallback_reason: result.fallback_reason ?? null };
    },
  );

  app.get(
    '/:id/capabilities',
    {
      schema: {
        tags,
        summary: "The portfolio's capability scores and improvement suggestions (one per score under 80)",
        description: '404 CAPABILITIES_NOT_GENERATED before the first POST …/capabilities/generate.',
        params: IdParams,
        response: { 200: CapabilitiesReply, ...errorReplies(404) },
      },
    },
    async (request) => capabilities.view(await capabilities.get(request.user.id, request.params.id)),
  );
};
