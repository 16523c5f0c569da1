// One card per measure: its value, its target range and its state in words, colour and an icon (never
// colour alone). The ranges are the ones the feedback rules used, echoed in the result's metadata.
import { useI18n, type I18n } from '../i18n/index.ts';
import type { FeedbackRules, Frame, Results, Speech } from '../types.ts';

type State = 'ok' | 'watch' | 'practise' | 'none';
const ICONS: Record<State, string> = { ok: '✓', watch: '!', practise: '▲', none: '–' };

export interface Card {
  key: keyof I18n['t']['card'];
  value: string;
  unit?: string;
  target: string | null;
  state: State;
  detail?: string;
  /** A moment of the video this figure comes from, in seconds. */
  moment: number | null;
}

type Metrics = NonNullable<Results['metrics']>;

const within = (value: number, [low, high]: [number, number]) => value >= low && value <= high;

export function metricCards(
  metrics: Metrics,
  rules: FeedbackRules | null,
  i18n: I18n,
  language: string | null,
  frames: Frame[],
): Card[] {
  const { t, percent, number } = i18n;
  // The speech block is typed `unknown` in the route schema; its shape is the pipeline's SpeechMeasures.
  const s = metrics.speech as Speech | null;
  const range = ([low, high]: [number, number], format: (v: number) => string) => `${format(low)}–${format(high)}`;
  // Pace and pauses in tenths always (4.0, not 4), so figures line up from card to card.
  const tenths = new Intl.NumberFormat(i18n.lang === 'ko' ? 'ko-KR' : 'en-GB', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format;
  const cards: Card[] = [];

  // A count of 0 is a finding only where something was measured: nods and blinks need a face seen in
  // some frame, fillers and pauses need speech that was heard (and, for fillers, transcribed).
  const validFrames = (metrics.metadata as { frame_count_valid?: unknown } | null)?.frame_count_valid;
  const faceSeen =
    typeof validFrames === 'number'
      ? validFrames > 0
      : metrics.center_gaze_ratio !== null || metrics.smile_ratio !== null;
  // With a face in too few frames the feedback judges none of the face's measures (the rules'
  // valid_frame_ratio_min, echoed in the result): the cards show the figure but no verdict either.
  const metadata = metrics.metadata as { confidence?: { valid_frame_ratio?: number | null } } | null;
  const faceShare = metadata?.confidence?.valid_frame_ratio ?? null;
  const tooFewFaces = faceSeen && rules !== null && faceShare !== null && faceShare < rules.valid_frame_ratio_min;
  const faceDetail = tooFewFaces ? t.tooFewFaces(percent(faceShare)) : undefined;
  const faceState = (judged: () => State): State => (tooFewFaces ? 'none' : judged());
  const speechHeard = (s?.speech_segments.length ?? 0) > 0;
  const transcribed = speechHeard && (s?.stt_status ?? 'ok') === 'ok';

  const gaze = metrics.center_gaze_ratio;
  const away = [...metrics.gaze_away_segments].sort((a, b) => b.end_sec - b.start_sec - (a.end_sec - a.start_sec))[0];
  cards.push({
    key: 'eye',
    value: gaze === null ? '–' : percent(gaze),
    target: rules ? `≥ ${percent(rules.gaze_good_min)}` : null,
    state: faceState(() =>
      gaze === null || !rules
        ? 'none'
        : gaze >= rules.gaze_good_min
          ? 'ok'
          : gaze < rules.gaze_weak_below
            ? 'practise'
            : 'watch',
    ),
    detail: faceDetail,
    moment: away?.start_sec ?? null,
  });

  const smile = metrics.smile_ratio;
  cards.push({
    key: 'smile',
    value: smile === null ? '–' : percent(smile),
    target: rules ? range(rules.smile_natural, percent) : null,
    state: faceState(() =>
      smile === null || !rules
        ? 'none'
        : within(smile, rules.smile_natural)
          ? 'ok'
          : smile < rules.smile_weak_below
            ? 'practise'
            : 'watch',
    ),
    detail: faceDetail,
    // The broadest smile: what a natural one of yours looks like.
    moment:
      frames.reduce<Frame | null>((best, frame) => ((frame.smile ?? -1) > (best?.smile ?? -1) ? frame : best), null)
        ?.t ?? null,
  });

  const nods = faceSeen ? metrics.nod_count : null;
  cards.push({
    key: 'nods',
    value: nods === null ? '–' : number(nods, 0),
    unit: t.unit.count,
    target: rules ? range(rules.nods_ideal, (v) => number(v, 0)) : null,
    state: faceState(() => (nods === null || !rules ? 'none' : within(nods, rules.nods_ideal) ? 'ok' : 'watch')),
    detail: faceDetail,
    moment: faceSeen ? (metrics.nod_times_sec?.[0] ?? null) : null,
  });

  const korean = (language ?? s?.language ?? i18n.lang) === 'ko';
  if (korean) {
    const pace = s?.syllables_per_sec ?? s?.syllables_per_sec_estimated ?? null;
    const estimated = s?.syllables_per_sec === null && pace !== null;
    cards.push({
      key: 'pace',
      value: pace === null ? '–' : `${estimated ? '≈ ' : ''}${tenths(pace)}`,
      unit: t.unit.syllablesPerSec,
      target: rules ? range(rules.korean_syllables_per_sec_ideal, tenths) : null,
      state: pace === null || !rules ? 'none' : within(pace, rules.korean_syllables_per_sec_ideal) ? 'ok' : 'watch',
      moment: null, // a pace is the whole answer's: no one moment shows it
    });
  } else {
    const wpm = s?.wpm_speaking ?? metrics.wpm;
    cards.push({
      key: 'pace',
      value: wpm === null ? '–' : number(wpm, 0),
      unit: t.unit.wordsPerMin,
      target: rules ? range(rules.wpm_ideal, (v) => number(v, 0)) : null,
      state: wpm === null || !rules ? 'none' : within(wpm, rules.wpm_ideal) ? 'ok' : 'watch',
      moment: null, // a pace is the whole answer's: no one moment shows it
    });
  }

  const fillers = transcribed ? metrics.filler_count : null;
  cards.push({
    key: 'fillers',
    value: fillers === null ? '–' : number(fillers, 0),
    unit: t.unit.count,
    target: rules ? `≤ ${number(rules.fillers_good_max, 0)}` : null,
    state:
      fillers === null || !rules
        ? 'none'
        : fillers <= rules.fillers_good_max
          ? 'ok'
          : fillers >= rules.fillers_weak_min
            ? 'practise'
            : 'watch',
    moment: s?.fillers.find((filler) => filler.t !== null)?.t ?? null,
  });

  // The longest pause against the long-pause limit, in seconds both; the count is the detail.
  const longest = [...(s?.pauses ?? [])].sort((a, b) => b.duration_sec - a.duration_sec)[0];
  const longestSec = speechHeard ? (s?.longest_pause_sec ?? longest?.duration_sec ?? 0) : null;
  cards.push({
    key: 'pauses',
    value: longestSec === null ? '–' : tenths(longestSec),
    unit: t.unit.seconds,
    detail: longestSec === null ? undefined : t.pauseCount(s!.pause_count),
    target: rules ? `< ${number(rules.long_pause_sec)}${t.unit.seconds}` : null,
    state: longestSec === null || !rules ? 'none' : longestSec < rules.long_pause_sec ? 'ok' : 'watch',
    moment: longestSec === null ? null : (longest?.start_sec ?? null),
  });

  const blinks = faceSeen ? metrics.blink_rate_per_min : null;
  cards.push({
    key: 'blinks',
    value: blinks === null ? '–' : number(blinks, 0),
    unit: t.unit.perMin,
    target: rules ? range(rules.blink_rate_typical_per_min, (v) => number(v, 0)) : null,
    state: faceState(() =>
      blinks === null || !rules ? 'none' : within(blinks, rules.blink_rate_typical_per_min) ? 'ok' : 'watch',
    ),
    detail: faceDetail,
    moment: null, // a rate: its first blink is no evidence of it
  });
  return cards;
}

export function MetricCards({ cards, seek }: { cards: Card[]; seek: (t: number) => void }) {
  const { t, clock } = useI18n();
  return (
    <ul class="metric-cards">
      {cards.map((card) => (
        <li key={card.key} class={`metric state-${card.state}`}>
          <span class="metric-label">{t.card[card.key]}</span>
          <span class="metric-value tabular">
            {card.value}
            {card.unit && card.value !== '–' && <span class="metric-unit">{card.unit}</span>}
          </span>
          <span class="metric-state">
            <span aria-hidden="true">{ICONS[card.state]}</span> {t.state[card.state]}
          </span>
          {card.target && <span class="metric-target small">{t.target(card.target)}</span>}
          {card.detail && <span class="small muted">{card.detail}</span>}
          {card.moment !== null && (
            <button
              type="button"
              class="link small"
              onClick={() => seek(card.moment!)}
              aria-label={`${t.card[card.key]}: ${t.seekTo(clock(card.moment))}`}
            >
              ▶ {clock(card.moment)}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
