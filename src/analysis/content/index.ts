// Content analysis of one transcribed answer: what it said, not how it sounded. Pure rules, Korean and
// English; with a Gemini client also a rubric score, and on any Gemini failure the rules result stands
// and says why. No HTTP, no database.
import { GeminiUnavailable, type GeminiClient } from '../../llm/gemini.ts';
import type { Transcript } from '../speech/index.ts';
import { findHedges } from './hedges.ts';
import { geminiRubric } from './rubric.ts';
import type { ContentAnalysis } from './schema.ts';
import { specificity } from './specificity.ts';
import { structure } from './structure.ts';
import { relevance, repeatedPhrases } from './terms.ts';
import { contentLanguage, sentenceTimes, splitSentences, tokenize } from './text.ts';
import { CONTENT_THRESHOLDS } from './thresholds.ts';

export { CONTENT_THRESHOLDS } from './thresholds.ts';
export { ContentAnalysisSchema, RUBRIC_DIMENSIONS, type ContentAnalysis, type RubricResult } from './schema.ts';
export { quote } from './text.ts';

export interface ContentInput {
  transcript: Pick<Transcript, 'text' | 'language' | 'segments' | 'words'>;
  /** The video's duration. */
  duration_sec: number;
  question: { text: string; type: string | null };
  posting_text?: string | null;
  portfolio_text?: string | null;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** First to last transcribed word, from word times, else segment times, else the video's duration. */
function answerLengthSec(input: ContentInput): number {
  const { words, segments } = input.transcript;
  const timed = (words ?? []).filter((w) => w.start !== undefined && w.end !== undefined);
  if (timed.length) return round(Math.max(...timed.map((w) => w.end!)) - Math.min(...timed.map((w) => w.start!)));
  if (segments.length)
    return round(Math.max(...segments.map((s) => s.end)) - Math.min(...segments.map((s) => s.start)));
  return round(input.duration_sec);
}

/** The rules' analysis (no rubric). */
export function analyzeContent(input: ContentInput, rules = CONTENT_THRESHOLDS): ContentAnalysis {
  const text = input.transcript.text.trim();
  const language = contentLanguage(text, input.transcript.language);
  const sentences = splitSentences(text);
  const tokens = tokenize(text, sentences, input.transcript.words);
  const hedges = findHedges(text, tokens, language);
  const value_sec = answerLengthSec(input);
  const range_sec = rules.length_range_sec[input.question.type ?? 'default'] ?? rules.length_range_sec.default!;
  return {
    language,
    sentence_count: sentences.length,
    sentences: sentences.map((s) => s.text),
    sentence_times: sentenceTimes(text, sentences, tokens, input.transcript.segments, input.duration_sec),
    word_count: tokens.length,
    duration_sec: round(input.duration_sec),
    length: {
      value_sec,
      range_sec,
      judgement: value_sec < range_sec[0] ? 'short' : value_sec > range_sec[1] ? 'long' : 'ok',
    },
    structure: structure(sentences, language, input.question.type),
    specificity: specificity(text, sentences, tokens, language, input.portfolio_text ?? null),
    hedges,
    hedge_count: hedges.length,
    repeated_phrases: repeatedPhrases(tokens),
    relevance: relevance(text, tokens, input.question.text, input.posting_text ?? null, input.portfolio_text ?? null),
    rubric: null,
    mode: 'rules',
    fallback_reason: null,
  };
}

/**
 * The rules' analysis, plus Gemini's rubric when a client is given. Any Gemini failure (no answer,
 * not JSON, the wrong shape) leaves the rules' result with `fallback_reason`; `rubric_quotes_dropped`
 * counts the quotes Gemini gave that are not in the transcript.
 */
export async function contentAnalysis(
  input: ContentInput,
  gemini: GeminiClient | null,
  options: { timeoutMs: number; lang: 'ko' | 'en' },
): Promise<{ content: ContentAnalysis; rubric_quotes_dropped: number | null }> {
  const content = analyzeContent(input);
  if (!gemini) return { content, rubric_quotes_dropped: null };
  try {
    const { rubric, quotes_dropped } = await geminiRubric(
      gemini,
      { question: input.question.text, transcript: input.transcript.text, lang: options.lang },
      AbortSignal.timeout(options.timeoutMs),
    );
    return { content: { ...content, rubric, mode: 'gemini' }, rubric_quotes_dropped: quotes_dropped };
  } catch (error) {
    if (!(error instanceof GeminiUnavailable)) throw error;
    return { content: { ...content, fallback_reason: error.message }, rubric_quotes_dropped: null };
  }
}
