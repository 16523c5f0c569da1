// The app's services, built from the config in one place: an API server (app.ts) and an analysis
// worker (cli/worker.ts) make them the same way.
import type { FastifyBaseLogger } from 'fastify';
import { analysisContext } from './analysis/context.ts';
import type { Config } from './config.ts';
import type { Db } from './db/index.ts';
import { createCapabilityService } from './capabilities/service.ts';
import { createMediaUrlSigner } from './http/media-url.ts';
import { createInterviewService } from './interviews/service.ts';
import { createJobPostingService } from './job-postings/service.ts';
import { JobQueue, type JobHooks, type JobRecords } from './jobs/queue.ts';
import { RedisJobQueue } from './jobs/redis-queue.ts';
import { AnalysisRunner } from './jobs/runner.ts';
import { geminiClient } from './llm/gemini.ts';
import { questionGenerator } from './llm/questions.ts';
import { createPortfolioService } from './portfolios/service.ts';
import { createStorage } from './storage.ts';
import { createUserService, type UserService } from './users/service.ts';
import { createVideoService } from './videos/service.ts';

export type Log = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export function createServices(config: Config, db: Db, log: Log) {
  const storage = createStorage(config.dataDir, {
    userQuotaBytes: config.userQuotaMb * 1024 * 1024,
    settings: config.storage,
    // An upload lasts at most REQUEST_TIMEOUT_SEC, an analysis (reading a temporary copy) ANALYSIS_TIMEOUT_SEC.
    temporaryLifetimeSec: Math.max(config.requestTimeoutSec, config.analysisTimeoutSec) + 60,
  });
  const userService = createUserService(db, storage);
  // A deleted user's or video's analyses stop with them (the jobs are made below, with the video service).
  const users: UserService = {
    ...userService,
    remove: async (userId) => {
      await userService.remove(userId);
      jobs.userDeleted(userId);
    },
  };
  const portfolios = createPortfolioService(db, storage, {
    maxBytes: config.maxPortfolioMb * 1024 * 1024,
    pdf: config.pdf,
  });
  const jobPostings = createJobPostingService(db, { allowedHosts: config.crawlAllowedHosts });
  const gemini = geminiClient(config.gemini);
  const interviews = createInterviewService(
    db,
    portfolios,
    jobPostings,
    questionGenerator(gemini, config.geminiTimeoutSec * 1000),
  );
  const capabilities = createCapabilityService(db, portfolios, jobPostings, gemini, config.geminiTimeoutSec * 1000);
  const mediaUrls = createMediaUrlSigner(config.jwtSecret, config.mediaUrlTtlSec);
  const analysis = analysisContext(config.analysis, config.speech);
  const videos = createVideoService(db, storage, interviews, {
    maxBytes: config.maxUploadMb * 1024 * 1024,
    maxVideoSec: config.maxVideoSec,
    gemini,
    geminiTimeoutMs: config.geminiTimeoutSec * 1000,
    mediaUrls,
    tools: analysis.tools,
    log,
    onRemoved: (videoId) => jobs.videoDeleted(videoId),
  });
  /** What running a job needs of the video service. */
  const jobHooks: JobHooks = {
    fileOf: (videoId) => videos.fileOf(videoId),
    save: (job, result, finishedAt) => videos.saveAnalysis(job, result, finishedAt),
    log,
  };
  const newRunner = () => new AnalysisRunner(config.analysisConcurrency, analysis);
  // With Redis, analyses run in `npm run worker` processes; without, in this one.
  const jobs: JobRecords = config.redis
    ? new RedisJobQueue(db, config.redis, log)
    : new JobQueue(db, newRunner(), jobHooks, {
        concurrency: config.analysisConcurrency,
        timeoutSec: config.analysisTimeoutSec,
      });
  return {
    storage,
    users,
    portfolios,
    jobPostings,
    interviews,
    capabilities,
    mediaUrls,
    tools: analysis.tools,
    videos,
    jobs,
    jobHooks,
    newRunner,
  };
}
