// Rule-based coaching feedback from the metrics, in Korean or English. Each rule quotes the measured
// number, decides its own severity (never by keywords in the text) and gives concrete things to do.
// It speaks only of observable behaviour: where the eyes went, how often the face smiled, pace,
// pauses, fillers; never of personality or confidence read from a face.
import type { Lang } from '../../config.ts';
import type { LongestStretches } from '../metrics.ts';
import type { AnalysisMetrics } from '../pipeline.ts';
import {
  densest,
  instant,
  longest,
  paceMoment,
  speechWithoutNod,
  stretchMoment,
  withinVideo,
  type Moment,
} from './moments.ts';

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
  /**
   * Hangul syllables per second of speaking time. Conversational Korean runs at about 5–6 syllables a
   * second and broadcast news at about 5; a clear interview answer sits a little below.
   */
  korean_syllables_per_sec_ideal: [3.5, 5.5] as [number, number],
  fillers_good_max: 5,
  fillers_weak_min: 11,
  valid_frame_ratio_min: 0.5,
  pose_outlier_ratio_max: 0.05,
  long_pause_sec: 3,
  /**
   * Blinks a minute while talking: about 17 at rest and 26 in conversation (Bentivoglio et al., 1997);
   * far outside this range is worth a look, never a verdict.
   */
  blink_rate_typical_per_min: [10, 32] as [number, number],
  /** This many fillers within the window make a cluster worth pointing at. */
  filler_cluster: { count: 3, window_sec: 10 },
  /** What the moment pickers (moments.ts) need; the rule each line follows is written where it is added. */
  moments: {
    /** A face stretch (eye contact, a smile, no smile, no face) shorter than this is not pointed at. */
    min_stretch_sec: 1,
    /** A transcript segment with less speech than this is too short to show a pace. */
    pace_min_speaking_sec: 2,
    /** Too many nods: the window of this length that holds the most of them. */
    nod_window_sec: 10,
  },
};

export const SEVERITIES = ['info', 'warning', 'suggestion'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type FeedbackLang = Lang;

export interface FeedbackItem {
  level: 'video' | 'segment';
  title: string;
  message: string;
  severity: Severity;
  start_sec: number | null;
  end_sec: number | null;
}

/**
 * What each severity was called in front of an item's topic in titles stored before titles became the
 * topic alone (the web app's group headings already say it; API clients read `severity`).
 */
export const LEGACY_SEVERITY_TITLES: Record<FeedbackLang, Record<Severity, string>> = {
  ko: { info: '강점', warning: '개선 필요', suggestion: '제안' },
  en: { info: 'Strength', warning: 'Needs work', suggestion: 'Suggestion' },
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const nodTimes = (n: number) => (n === 1 ? 'once' : `${n} times`);

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;
const seconds = (start: number, end: number) => `${start.toFixed(1)}–${end.toFixed(1)}`;

const PHRASES = {
  ko: {
    topics: {
      reliability: '분석 신뢰도',
      gaze: '시선',
      smile: '표정',
      nods: '끄덕임',
      pace: '말 속도',
      fillers: '채움말',
      speech: '말하기 분석',
      gazeAway: '시선 이탈',
      pause: '긴 침묵',
      fillerCluster: '채움말 구간',
    },
    directions: { LEFT: '왼쪽으로', RIGHT: '오른쪽으로', UP: '위로', DOWN: '아래로' },
    fewFaces: (r: number) =>
      `얼굴이 잡힌 프레임이 ${percent(r)}뿐이라 시선과 표정은 판단하지 않았습니다. 1) 얼굴이 화면 중앙에 오도록 카메라를 맞추고, 2) 얼굴 앞쪽에 조명을 두고 다시 녹화해 보세요.`,
    unstablePose: (r: number) =>
      `머리 자세 값의 ${percent(r)}가 튀는 값으로 걸러졌습니다. 카메라를 고정하고 얼굴이 가려지지 않게 하면 끄덕임과 시선 수치가 더 정확해집니다.`,
    gazeGood: (r: number) =>
      `카메라를 바라본 비율이 ${percent(r)}로 안정적입니다. 지금처럼 답변 내내 렌즈를 보는 습관을 유지하세요.`,
    gazeLow: (r: number, target: number) =>
      `카메라를 바라본 비율이 ${percent(r)}입니다(목표 ${percent(target)} 이상). 1) 렌즈 옆에 작은 표시를 붙여 시선을 고정하고, 2) 메모는 화면 위쪽 가까이에 두고, 3) 생각할 때도 시선을 오래 돌리지 않도록 연습해 보세요.`,
    smileGood: (r: number) => `미소를 보인 비율이 ${percent(r)}로 자연스럽습니다.`,
    smileLow: (r: number, [a, b]: number[]) =>
      `미소를 보인 비율이 ${percent(r)}입니다(자연스러운 범위 ${percent(a!)}–${percent(b!)}). 1) 인사와 마무리 문장에서 가볍게 미소 짓고, 2) 경험을 이야기할 때 입꼬리를 조금 올려 보세요.`,
    smileHigh: (r: number, [a, b]: number[]) =>
      `미소를 보인 비율이 ${percent(r)}입니다(자연스러운 범위 ${percent(a!)}–${percent(b!)}). 1) 진지한 내용에서는 표정을 차분하게 하고, 2) 미소는 인사와 긍정적인 대목에 남겨 두세요.`,
    smileNear: (r: number, [a, b]: number[]) =>
      `미소를 보인 비율이 ${percent(r)}입니다. ${percent(a!)}–${percent(b!)} 정도가 자연스럽습니다.`,
    nodsGood: (n: number) => `고개를 ${n}번 끄덕였습니다. 질문에 반응하는 적절한 횟수입니다.`,
    nodsMany: (n: number) =>
      `고개를 ${n}번 끄덕였습니다. 잦은 끄덕임은 산만해 보일 수 있으니 핵심 대목에서만 한두 번 끄덕여 보세요.`,
    nodsFew: (n: number) =>
      `${n === 0 ? '고개를 끄덕이지 않았습니다' : `고개를 ${n}번 끄덕였습니다`}. 질문을 들을 때나 요점을 말할 때 한두 번 끄덕이면 반응이 자연스러워집니다.`,
    noTranscript: (why: string) => `말 속도와 채움말은 분석하지 않았습니다: ${why}`,
    syllablesGood: (rate: number) => `말하는 동안 초당 ${rate.toFixed(1)}음절로 듣기 편한 속도입니다.`,
    syllablesOff: (rate: number, [a, b]: number[]) =>
      `말하는 동안 초당 ${rate.toFixed(1)}음절입니다(권장 ${a}–${b}). ${rate > b! ? '1) 문장 끝에서 한 박자 쉬고, 2) 핵심 단어를 또박또박 말해 보세요.' : '1) 답변의 뼈대를 미리 정리해 두고, 2) 문장을 끊지 말고 이어서 말해 보세요.'}`,
    wpmGood: (wpm: number) => `말하는 동안 분당 ${Math.round(wpm)}단어로 안정적인 속도입니다.`,
    wpmOff: (wpm: number, [a, b]: number[]) =>
      `말하는 동안 분당 ${Math.round(wpm)}단어입니다(권장 ${a}–${b}). ${wpm > b! ? '문장 사이에 짧게 쉬어 보세요.' : '답변 구조를 미리 정리해 두면 더 매끄럽게 이어집니다.'}`,
    fillersGood: (n: number) =>
      `${n === 0 ? '채움말이 들리지 않았습니다' : `채움말이 ${n}번으로 적습니다`}. 다만 전사 과정에서 일부가 빠질 수 있습니다.`,
    fillersMany: (n: number) =>
      `"음", "어" 같은 채움말이 최소 ${n}번 들렸습니다. 1) 말을 잇기 전에 채움말 대신 잠깐 멈추고, 2) 답변의 첫 문장을 미리 정해 두세요.`,
    gazeAway: (s: number, e: number, dir: string) =>
      `${seconds(s, e)}초에 시선이 ${dir} 벗어났습니다. 이 대목에서 렌즈를 다시 바라보는 연습을 해 보세요.`,
    pause: (s: number, e: number, d: number) =>
      `${seconds(s, e)}초에 ${d.toFixed(1)}초 동안 말이 멈췄습니다. 생각할 시간이 필요하면 "잠시 정리해 보겠습니다"처럼 말로 알려 주세요.`,
    fillerCluster: (s: number, e: number, n: number) =>
      `${seconds(s, e)}초에 채움말이 ${n}번 몰려 있습니다. 이 대목의 내용을 미리 정리해 두세요.`,
  },
  en: {
    topics: {
      reliability: 'Reliability',
      gaze: 'Eye contact',
      smile: 'Expression',
      nods: 'Nodding',
      pace: 'Pace',
      fillers: 'Filler words',
      speech: 'Speech analysis',
      gazeAway: 'Looking away',
      pause: 'Long pause',
      fillerCluster: 'Filler cluster',
    },
    directions: { LEFT: 'to the left', RIGHT: 'to the right', UP: 'upwards', DOWN: 'downwards' },
    fewFaces: (r: number) =>
      `Your face was found in only ${percent(r)} of the frames, so eye contact and expression were not judged. 1) Centre your face in the picture, 2) put a light in front of you, and record again.`,
    unstablePose: (r: number) =>
      `${percent(r)} of the head-pose readings were rejected as glitches. A steady camera and an unobstructed face make the nod and gaze figures more accurate.`,
    gazeGood: (r: number) =>
      `You looked at the camera ${percent(r)} of the time: steady eye contact. Keep looking at the lens throughout your answers.`,
    gazeLow: (r: number, target: number) =>
      `You looked at the camera ${percent(r)} of the time (aim for ${percent(target)} or more). 1) Put a small mark next to the lens, 2) keep notes high on the screen, 3) practise not looking away for long while you think.`,
    smileGood: (r: number) => `You smiled in ${percent(r)} of the frames, a natural amount.`,
    smileLow: (r: number, [a, b]: number[]) =>
      `You smiled in ${percent(r)} of the frames (natural range ${percent(a!)}–${percent(b!)}). 1) Smile lightly when you greet and when you close, 2) lift the corners of your mouth when you describe your work.`,
    smileHigh: (r: number, [a, b]: number[]) =>
      `You smiled in ${percent(r)} of the frames (natural range ${percent(a!)}–${percent(b!)}). 1) Keep a calm face for serious points, 2) save smiles for greetings and good news.`,
    smileNear: (r: number, [a, b]: number[]) =>
      `You smiled in ${percent(r)} of the frames; ${percent(a!)}–${percent(b!)} looks natural.`,
    nodsGood: (n: number) => `You nodded ${nodTimes(n)}, a fitting amount of visible response.`,
    nodsMany: (n: number) =>
      `You nodded ${n} times. Frequent nodding can look restless; keep it to one or two key moments.`,
    nodsFew: (n: number) =>
      `${n === 0 ? 'You did not nod' : `You nodded ${nodTimes(n)}`}. A nod or two while listening or making a point makes your responses visible.`,
    noTranscript: (why: string) => `Pace and filler words were not analysed: ${why}`,
    syllablesGood: (rate: number) => `You spoke ${rate.toFixed(1)} syllables a second, an easy pace to follow.`,
    syllablesOff: (rate: number, [a, b]: number[]) =>
      `You spoke ${rate.toFixed(1)} syllables a second (recommended ${a}–${b}). ${rate > b! ? 'Pause briefly at the end of each sentence.' : 'Outline your answer beforehand so that it flows.'}`,
    wpmGood: (wpm: number) => `You spoke ${Math.round(wpm)} words a minute while speaking, a steady pace.`,
    wpmOff: (wpm: number, [a, b]: number[]) =>
      `You spoke ${Math.round(wpm)} words a minute while speaking (recommended ${a}–${b}). ${wpm > b! ? '1) Pause between sentences, 2) stress the key words.' : '1) Outline your answer beforehand, 2) link your sentences instead of stopping.'}`,
    fillersGood: (n: number) =>
      `${n === 0 ? 'No filler words were heard' : `Only ${plural(n, 'filler word', 'filler words')}`}; transcription may have missed a few.`,
    fillersMany: (n: number) =>
      `At least ${n} filler words ("um", "uh", "like"). 1) Pause silently instead, 2) decide your first sentence before you start.`,
    gazeAway: (s: number, e: number, dir: string) =>
      `From ${seconds(s, e)} s your eyes went ${dir}. Practise coming back to the lens at this point.`,
    pause: (s: number, e: number, d: number) =>
      `From ${seconds(s, e)} s you stopped for ${d.toFixed(1)} s. If you need time to think, say so ("let me think for a moment").`,
    fillerCluster: (s: number, e: number, n: number) =>
      `${plural(n, 'filler word', 'filler words')} cluster around ${seconds(s, e)} s. Prepare this part of the answer.`,
  },
};

/** Stretches where fillers crowd together (needs filler times, which some engines give). */
export function fillerClusters(
  fillers: Array<{ t: number | null }>,
  rules = FEEDBACK_RULES,
): Array<{ start: number; end: number; count: number }> {
  const times = fillers.flatMap((f) => (f.t === null ? [] : [f.t])).sort((a, b) => a - b);
  const clusters: Array<{ start: number; end: number; count: number }> = [];
  let i = 0;
  while (i < times.length) {
    let j = i;
    while (j + 1 < times.length && times[j + 1]! - times[i]! <= rules.filler_cluster.window_sec) j++;
    if (j - i + 1 >= rules.filler_cluster.count) {
      clusters.push({ start: times[i]!, end: times[j]!, count: j - i + 1 });
      i = j + 1;
    } else {
      i++;
    }
  }
  return clusters;
}

/**
 * What the rules read: the analysis metrics, or the same figures as stored with a result (the measures
 * added later, with moments, are absent from results stored before them).
 */
export type RuleInputs = Omit<AnalysisMetrics, 'longest_stretches'> & { longest_stretches?: LongestStretches };

export function ruleBasedFeedback(
  metrics: RuleInputs,
  lang: FeedbackLang = 'ko',
  rules = FEEDBACK_RULES,
): FeedbackItem[] {
  const say = PHRASES[lang];
  const items: FeedbackItem[] = [];
  const durationSec = metrics.metadata.duration_sec;
  const add = (
    severity: Severity,
    topic: keyof typeof say.topics,
    message: string,
    moment: Moment | null = null,
    level: FeedbackItem['level'] = 'video',
  ) => {
    // Word times from a transcription engine can run past the video's end: clipped, or dropped.
    const at = withinVideo(moment, durationSec);
    items.push({
      level: at ? level : 'video',
      title: say.topics[topic],
      message,
      severity,
      start_sec: at?.start ?? null,
      end_sec: at?.end ?? null,
    });
  };
  const segment = (start: number, end: number): [Moment, 'segment'] => [{ start, end }, 'segment'];
  const moments = rules.moments;
  const stretches = metrics.longest_stretches;
  const speech = metrics.speech;
  const speechStretches = speech?.speech_segments ?? [];

  const { confidence, outlier_flags } = metrics.metadata;
  const validRatio = confidence.valid_frame_ratio;
  if (validRatio === null || validRatio < rules.valid_frame_ratio_min) {
    // Moment: the longest stretch without a face.
    add('warning', 'reliability', say.fewFaces(validRatio ?? 0), stretchMoment(stretches?.face_missing, moments));
  } else {
    const outliers = outlier_flags.pose_outlier_ratio ?? 0;
    // No moment: rejected readings are scattered single frames, and the timeline does not keep them apart.
    if (outliers >= rules.pose_outlier_ratio_max) add('suggestion', 'reliability', say.unstablePose(outliers));

    // Moment: a strength shows the longest stretch of eye contact; otherwise the longest look-away.
    const gaze = metrics.center_gaze_ratio ?? 0;
    if (gaze >= rules.gaze_good_min)
      add('info', 'gaze', say.gazeGood(gaze), stretchMoment(stretches?.eye_contact, moments));
    else
      add(
        gaze < rules.gaze_weak_below ? 'warning' : 'suggestion',
        'gaze',
        say.gazeLow(gaze, rules.gaze_good_min),
        longest(metrics.gaze_away_segments),
      );

    // Moment: too little smiling → the longest stretch without a smile; too much → the longest smile; in
    // range → the longest smile, an example to keep.
    const smile = metrics.smile_ratio ?? 0;
    const [low, high] = rules.smile_natural;
    const longestSmile = stretchMoment(stretches?.smiling, moments);
    const longestNoSmile = stretchMoment(stretches?.not_smiling, moments);
    if (smile >= low && smile <= high) add('info', 'smile', say.smileGood(smile), longestSmile);
    else if (smile < rules.smile_weak_below)
      add('warning', 'smile', say.smileLow(smile, rules.smile_natural), longestNoSmile);
    else if (smile > rules.smile_excess_above)
      add('warning', 'smile', say.smileHigh(smile, rules.smile_natural), longestSmile);
    else
      add(
        'suggestion',
        'smile',
        say.smileNear(smile, rules.smile_natural),
        smile < low ? longestNoSmile : longestSmile,
      );

    // Moment: in range → the first nod; too many → the window of nod_window_sec with the most nods;
    // too few → the longest stretch of speech without one.
    const nods = metrics.nod_count;
    const nodTimes = metrics.nod_times_sec ?? [];
    const manyNods = densest(nodTimes, moments.nod_window_sec);
    if (nods >= rules.nods_ideal[0] && nods <= rules.nods_ideal[1])
      add('info', 'nods', say.nodsGood(nods), instant(nodTimes.length ? Math.min(...nodTimes) : null));
    else if (nods >= rules.nods_excess_min) add('warning', 'nods', say.nodsMany(nods), manyNods);
    else if (nods > rules.nods_ideal[1]) add('suggestion', 'nods', say.nodsMany(nods), manyNods);
    else add('suggestion', 'nods', say.nodsFew(nods), speechWithoutNod(speechStretches, nodTimes));

    for (const away of metrics.gaze_away_segments) {
      add(
        'suggestion',
        'gazeAway',
        say.gazeAway(away.start_sec, away.end_sec, say.directions[away.direction]),
        ...segment(away.start_sec, away.end_sec),
      );
    }
  }

  if (speech && speech.stt_status === 'ok') {
    // Moment: outside the range → the fastest (slowest) transcript segment beyond it; in range → the
    // in-range segment with the most speech.
    const paceSegments = speech.pace_segments ?? [];
    const judged = (rate: number, [a, b]: [number, number]) => (rate > b ? 'fast' : rate < a ? 'slow' : 'in_range');
    if (speech.syllables_per_sec !== null) {
      const rate = speech.syllables_per_sec;
      const range = rules.korean_syllables_per_sec_ideal;
      const at = paceMoment(paceSegments, 'syllables_per_sec', range, judged(rate, range), moments);
      if (judged(rate, range) === 'in_range') add('info', 'pace', say.syllablesGood(rate), at);
      else add('suggestion', 'pace', say.syllablesOff(rate, range), at);
    } else if (speech.wpm_speaking !== null) {
      const wpm = speech.wpm_speaking;
      const range = rules.wpm_ideal;
      const at = paceMoment(paceSegments, 'wpm_speaking', range, judged(wpm, range), moments);
      if (judged(wpm, range) === 'in_range') add('info', 'pace', say.wpmGood(wpm), at);
      else add('suggestion', 'pace', say.wpmOff(wpm, range), at);
    }
    // Moment: few fillers → the first one heard; many → the densest window of filler_cluster.window_sec.
    // Engines without word times give fillers no time, and then no moment.
    const fillers = metrics.filler_count ?? 0;
    const fillerTimes = speech.fillers.flatMap((f) => (f.t === null ? [] : [f.t]));
    if (fillers <= rules.fillers_good_max)
      add('info', 'fillers', say.fillersGood(fillers), instant(fillerTimes.length ? Math.min(...fillerTimes) : null));
    else
      add(
        fillers >= rules.fillers_weak_min ? 'warning' : 'suggestion',
        'fillers',
        say.fillersMany(fillers),
        densest(fillerTimes, rules.filler_cluster.window_sec),
      );
    for (const cluster of fillerClusters(speech.fillers, rules)) {
      add(
        'suggestion',
        'fillerCluster',
        say.fillerCluster(cluster.start, cluster.end, cluster.count),
        ...segment(cluster.start, cluster.end),
      );
    }
  } else if (speech && speech.stt_status !== 'no_speech') {
    // A note about the analysis, not a strength: info items are shown as strengths. No moment: it is
    // about the whole recording.
    add('suggestion', 'speech', say.noTranscript(speech.stt_message ?? speech.stt_status));
  }
  for (const pause of speech?.pauses ?? []) {
    if (pause.duration_sec >= rules.long_pause_sec) {
      add(
        'suggestion',
        'pause',
        say.pause(pause.start_sec, pause.end_sec, pause.duration_sec),
        ...segment(pause.start_sec, pause.end_sec),
      );
    }
  }
  return items;
}
