// The API's shapes, taken from the server's own route schemas and analysis types (type-only imports,
// erased from the bundle), so the web app and the API share one contract.
import type { Static } from '@sinclair/typebox';
import type { SpeechMeasures } from '../../src/analysis/speech/index.ts';
import type { TimelineFrame } from '../../src/analysis/timeline.ts';
import type { FEEDBACK_RULES } from '../../src/analysis/feedback/rules.ts';
import type { QuestionResponse, SessionResponse } from '../../src/interviews/schemas.ts';
import type { JobPostingResponse } from '../../src/job-postings/schemas.ts';
import type { PortfolioResponse } from '../../src/portfolios/schemas.ts';
import type { Token as TokenResponse, UserResponse } from '../../src/users/schemas.ts';
import type {
  JobResponse,
  ResultsResponse,
  SessionSummaryResponse,
  UploadResponse,
  VideoResponse,
} from '../../src/videos/schemas.ts';

export type User = Static<typeof UserResponse>;
export type Token = Static<typeof TokenResponse>;
export type Portfolio = Static<typeof PortfolioResponse>;
export type JobPosting = Static<typeof JobPostingResponse>;
export type Session = Static<typeof SessionResponse>;
export type Question = Static<typeof QuestionResponse>;
export type Video = Static<typeof VideoResponse>;
export type Upload = Static<typeof UploadResponse>;
export type Job = Static<typeof JobResponse>;
export type SessionSummary = Static<typeof SessionSummaryResponse>;
export type Results = Static<typeof ResultsResponse>;
export type Feedback = Results['feedbacks'][number];
export type Alert = Results['alerts'][number];
export type Frame = TimelineFrame;
export type Speech = SpeechMeasures;
export type FeedbackRules = typeof FEEDBACK_RULES;
export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}
