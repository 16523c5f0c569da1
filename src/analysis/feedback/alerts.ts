// Timeline alerts: stretches worth pointing at on a playback bar. The original's runs of excessive
// smiling, plus every segment-level feedback item (looking away, long pauses, filler clusters).
import type { TimelineFrame } from '../timeline.ts';
import type { FeedbackLang } from './rules.ts';

export const ALERT_RULES = {
  /** A run of valid frames smiling at least this much (the original's only alert). */
  excessive_smile: 0.8,
};

export interface Alert {
  start_t: number;
  end_t: number;
  /** The mean smile for smile alerts (as the original); 1 for the others. */
  severity: number;
  kind: 'smile' | 'segment';
  message: string;
}

const SMILE_MESSAGE = {
  ko: (range: string, mean: string) => `${range}초 구간에서 미소가 과했습니다(평균 ${mean}). 자연스럽게 유지해 보세요.`,
  en: (range: string, mean: string) => `${range} s: a broad smile throughout (mean ${mean}); keep it natural.`,
};

export function timelineAlerts(
  timeline: TimelineFrame[],
  feedback: Array<{ level: string; start_sec: number | null; end_sec: number | null; message: string }>,
  lang: FeedbackLang,
): Alert[] {
  const alerts: Alert[] = [];
  let run: TimelineFrame[] = [];
  const endRun = () => {
    if (run.length) {
      const mean = run.reduce((sum, frame) => sum + frame.smile!, 0) / run.length;
      const [start, end] = [run[0]!.t, run[run.length - 1]!.t];
      alerts.push({
        start_t: start,
        end_t: end,
        severity: Number(mean.toFixed(2)),
        kind: 'smile',
        message: SMILE_MESSAGE[lang](`${start.toFixed(1)}–${end.toFixed(1)}`, mean.toFixed(2)),
      });
    }
    run = [];
  };
  // Over valid frames only, as the original: frames without a face do not break a run.
  for (const frame of timeline) {
    if (!frame.valid) continue;
    if ((frame.smile ?? 0) >= ALERT_RULES.excessive_smile) run.push(frame);
    else endRun();
  }
  endRun();
  for (const item of feedback) {
    if (item.level === 'segment' && item.start_sec !== null && item.end_sec !== null) {
      alerts.push({
        start_t: item.start_sec,
        end_t: item.end_sec,
        severity: 1,
        kind: 'segment',
        message: item.message,
      });
    }
  }
  return alerts.sort((a, b) => a.start_t - b.start_t);
}
