// Feedback for one analysed answer: Gemini when a key is set, the rules otherwise, and the rules again
// whenever Gemini fails (timeout, refusal, invalid JSON). The mode actually used is reported.
import { GeminiUnavailable, type GeminiClient } from '../../llm/gemini.ts';
import type { AnalysisMetrics } from '../pipeline.ts';
import { geminiFeedback } from './gemini.ts';
import { ruleBasedFeedback, type FeedbackItem, type FeedbackLang } from './rules.ts';

export { FEEDBACK_RULES, ruleBasedFeedback, type FeedbackItem, type FeedbackLang } from './rules.ts';
export { timelineAlerts, type Alert } from './alerts.ts';
export { contentFeedback, type ContentFeedbackItem } from './content.ts';
export { feedbackForReader, rebuildFeedback, type StoredFeedbackInputs } from './reader.ts';

/** What a feedback item is about: delivery (face, voice, pace) or content (what the answer said). */
export type FeedbackCategory = 'delivery' | 'content';

export interface Feedback {
  items: FeedbackItem[];
  mode: 'gemini' | 'rule-based';
  /** Why Gemini's feedback was not used, when a key was set. */
  fallback_reason: string | null;
}

export async function coachingFeedback(
  input: { metrics: AnalysisMetrics; question: string; transcript: string | null; lang: FeedbackLang },
  gemini: GeminiClient | null,
  timeoutMs: number,
): Promise<Feedback> {
  if (gemini) {
    try {
      const items = await geminiFeedback(gemini, input, AbortSignal.timeout(timeoutMs));
      return { items, mode: 'gemini', fallback_reason: null };
    } catch (error) {
      if (!(error instanceof GeminiUnavailable)) throw error;
      return {
        items: ruleBasedFeedback(input.metrics, input.lang),
        mode: 'rule-based',
        fallback_reason: error.message,
      };
    }
  }
  return { items: ruleBasedFeedback(input.metrics, input.lang), mode: 'rule-based', fallback_reason: null };
}
