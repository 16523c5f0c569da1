// Rule-based coaching feedback from the metrics: the original's ideal ranges, with severity and title
// decided by the rule that fired (never by keywords in the text). Korean, as the original.
import type { AnalysisMetrics } from '../pipeline.ts';

export const FEEDBACK_RULES = {
  gaze_good_min: 0.7,
  gaze_weak_below: 0.5,
  smile_natural: [0.25, 0.5] as [number, number],
  smile_weak_below: 0.1,
  smile_excess_above: 0.6,
  nods_ideal: [1, 3] as [number, number],
  nods_excess_min: 5,
  /** English words per minute of speaking time. */
  wpm_ideal: [140, 180] as [number, number],
  /** Hangul syllables per second of speaking time: calm, clear Korean presentation speed. */
  korean_syllables_per_sec_ideal: [3.5, 5.5] as [number, number],
  fillers_good_max: 5,
  fillers_weak_min: 11,
  valid_frame_ratio_min: 0.5,
  long_pause_sec: 3,
};

export type Severity = 'info' | 'warning' | 'suggestion';

export interface FeedbackItem {
  level: 'video' | 'segment';
  title: string;
  message: string;
  severity: Severity;
  start_sec: number | null;
  end_sec: number | null;
}

export const DIRECTION_KO = { LEFT: '왼쪽으로', RIGHT: '오른쪽으로', UP: '위로', DOWN: '아래로' } as const;

const TITLES: Record<Severity, string> = { info: '강점', warning: '개선 필요', suggestion: '제안' };
const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

function item(severity: Severity, topic: string, message: string, segment?: { start: number; end: number }): FeedbackItem {
  return {
    level: segment ? 'segment' : 'video',
    title: `${TITLES[severity]}: ${topic}`,
    message,
    severity,
    start_sec: segment?.start ?? null,
    end_sec: segment?.end ?? null,
  };
}

export function ruleBasedFeedback(metrics: AnalysisMetrics, rules = FEEDBACK_RULES): FeedbackItem[] {
  const items: FeedbackItem[] = [];
  const validRatio = (metrics.metadata.confidence as { valid_frame_ratio: number | null }).valid_frame_ratio;
  const faceReliable = validRatio !== null && validRatio >= rules.valid_frame_ratio_min;

  if (!faceReliable) {
    items.push(item('warning', '영상 품질', `얼굴이 잡힌 프레임이 ${percent(validRatio ?? 0)}뿐이라 시선과 표정은 판단하지 않았습니다. 1) 얼굴이 화면 중앙에 오도록 카메라를 맞추고, 2) 얼굴 앞쪽에 조명을 두고 다시 녹화해 보세요.`));
  } else {
    const gaze = metrics.center_gaze_ratio ?? 0;
    if (gaze >= rules.gaze_good_min) {
      items.push(item('info', '시선', `카메라를 바라본 비율이 ${percent(gaze)}로 안정적입니다. 지금처럼 답변 내내 렌즈를 보는 습관을 유지하세요.`));
    } else {
      const severity = gaze < rules.gaze_weak_below ? 'warning' : 'suggestion';
      items.push(item(severity, '시선', `카메라를 바라본 비율이 ${percent(gaze)}입니다(목표 ${percent(rules.gaze_good_min)} 이상). 1) 렌즈 옆에 작은 표시를 붙여 시선을 고정하고, 2) 메모는 화면 위쪽 가까이에 두고, 3) 생각할 때도 시선을 오래 돌리지 않도록 연습해 보세요.`));
    }
    const smile = metrics.smile_ratio ?? 0;
    if (smile >= rules.smile_natural[0] && smile <= rules.smile_natural[1]) {
      items.push(item('info', '표정', `미소를 보인 비율이 ${percent(smile)}로 자연스럽습니다.`));
    } else if (smile < rules.smile_weak_below || smile > rules.smile_excess_above) {
      const advice = smile < rules.smile_weak_below
        ? '1) 인사와 마무리 문장에서 가볍게 미소 짓고, 2) 경험을 이야기할 때 입꼬리를 조금 올려 보세요.'
        : '1) 진지한 내용에서는 표정을 차분하게 하고, 2) 미소는 인사와 긍정적인 대목에 남겨 두세요.';
      items.push(item('warning', '표정', `미소를 보인 비율이 ${percent(smile)}입니다(자연스러운 범위 ${percent(rules.smile_natural[0])}–${percent(rules.smile_natural[1])}). ${advice}`));
    } else {
      items.push(item('suggestion', '표정', `미소를 보인 비율이 ${percent(smile)}입니다. ${percent(rules.smile_natural[0])}–${percent(rules.smile_natural[1])} 정도가 자연스럽습니다.`));
    }
    const nods = metrics.nod_count;
    if (nods >= rules.nods_ideal[0] && nods <= rules.nods_ideal[1]) {
      items.push(item('info', '끄덕임', `고개를 ${nods}번 끄덕였습니다. 경청하는 인상을 주는 적절한 횟수입니다.`));
    } else if (nods >= rules.nods_excess_min) {
      items.push(item('warning', '끄덕임', `고개를 ${nods}번 끄덕였습니다. 잦은 끄덕임은 산만해 보일 수 있으니 핵심 대목에서만 한두 번 끄덕여 보세요.`));
    } else {
      items.push(item('suggestion', '끄덕임', `고개를 ${nods}번 끄덕였습니다. 질문을 들을 때나 요점을 말할 때 한두 번 끄덕이면 반응이 자연스러워집니다.`));
    }
  }

  const speech = metrics.speech;
  if (speech && speech.stt_status !== 'ok' && speech.stt_status !== 'no_speech') {
    items.push(item('info', '말하기 분석', `말 속도와 채움말은 분석하지 않았습니다: ${speech.stt_message ?? speech.stt_status}`));
  } else if (speech && speech.stt_status === 'ok') {
    if (speech.syllables_per_sec !== null) {
      const [low, high] = rules.korean_syllables_per_sec_ideal;
      const rate = speech.syllables_per_sec;
      const inRange = rate >= low && rate <= high;
      items.push(item(inRange ? 'info' : 'suggestion', '말 속도', inRange
        ? `말하는 동안 초당 ${rate.toFixed(1)}음절로 듣기 편한 속도입니다.`
        : `말하는 동안 초당 ${rate.toFixed(1)}음절입니다(권장 ${low}–${high}). ${rate > high ? '문장 끝에서 한 박자 쉬어 가며 천천히 말해 보세요.' : '핵심 문장을 미리 정리해 두고 조금 더 이어서 말해 보세요.'}`));
    } else if (speech.wpm_speaking !== null) {
      const [low, high] = rules.wpm_ideal;
      const wpm = speech.wpm_speaking;
      const inRange = wpm >= low && wpm <= high;
      items.push(item(inRange ? 'info' : 'suggestion', '말 속도', inRange
        ? `말하는 동안 분당 ${Math.round(wpm)}단어로 안정적인 속도입니다.`
        : `말하는 동안 분당 ${Math.round(wpm)}단어입니다(권장 ${low}–${high}). ${wpm > high ? '문장 사이에 짧게 쉬어 보세요.' : '답변 구조를 미리 정리해 두면 더 매끄럽게 이어집니다.'}`));
    }
    const fillers = metrics.filler_count ?? 0;
    const severity: Severity = fillers <= rules.fillers_good_max ? 'info' : fillers >= rules.fillers_weak_min ? 'warning' : 'suggestion';
    items.push(item(severity, '채움말', severity === 'info'
      ? `채움말이 ${fillers}번으로 적습니다.`
      : `"음", "어" 같은 채움말이 ${fillers}번 들렸습니다. 1) 말을 잇기 전에 채움말 대신 잠깐 멈추고, 2) 답변의 첫 문장을 미리 정해 두세요.`));
  }

  for (const segment of metrics.gaze_away_segments) {
    items.push(item('suggestion', '시선 이탈', `${segment.start_sec.toFixed(1)}–${segment.end_sec.toFixed(1)}초에 시선이 ${DIRECTION_KO[segment.direction]} 벗어났습니다.`, { start: segment.start_sec, end: segment.end_sec }));
  }
  for (const pause of speech?.pauses ?? []) {
    if (pause.duration_sec >= rules.long_pause_sec) {
      items.push(item('suggestion', '긴 침묵', `${pause.start_sec.toFixed(1)}–${pause.end_sec.toFixed(1)}초에 ${pause.duration_sec.toFixed(1)}초 동안 말이 멈췄습니다.`, { start: pause.start_sec, end: pause.end_sec }));
    }
  }
  return items;
}
