// Timeline alerts: stretches worth pointing at on a playback bar.
import type { TimelineFrame } from '../timeline.ts';
import type { AnalysisMetrics } from '../pipeline.ts';
import { DIRECTION_KO } from './rules.ts';

export const ALERT_RULES = {
  /** The original's only alert: a run of frames smiling at least this much. */
  excessive_smile: 0.8,
  long_pause_sec: 3,
};

export interface Alert {
  start_t: number;
  end_t: number;
  /** The original put the mean smile score here; other alerts use 1. */
  severity: number;
  kind: 'smile' | 'gaze_away' | 'pause';
  message: string;
}

export function timelineAlerts(timeline: TimelineFrame[], metrics: Pick<AnalysisMetrics, 'gaze_away_segments' | 'speech'>): Alert[] {
  const alerts: Alert[] = [];
  let run: TimelineFrame[] = [];
  const endRun = () => {
    if (run.length) {
      const mean = run.reduce((sum, frame) => sum + frame.smile!, 0) / run.length;
      const [start, end] = [run[0]!.t, run[run.length - 1]!.t];
      alerts.push({ start_t: start, end_t: end, severity: Number(mean.toFixed(2)), kind: 'smile', message: `${start.toFixed(1)}–${end.toFixed(1)}초 미소가 과했습니다(평균 ${mean.toFixed(2)}). 자연스럽게 유지해 보세요.` });
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
  for (const segment of metrics.gaze_away_segments) {
    alerts.push({ start_t: segment.start_sec, end_t: segment.end_sec, severity: 1, kind: 'gaze_away', message: `시선이 ${DIRECTION_KO[segment.direction]} 벗어났습니다.` });
  }
  for (const pause of metrics.speech?.pauses ?? []) {
    if (pause.duration_sec >= ALERT_RULES.long_pause_sec) {
      alerts.push({ start_t: pause.start_sec, end_t: pause.end_sec, severity: 1, kind: 'pause', message: `${pause.duration_sec.toFixed(1)}초 동안 말이 멈췄습니다.` });
    }
  }
  return alerts.sort((a, b) => a.start_t - b.start_t);
}
