// The timeline lanes under the player, on the video's time axis: gaze (a band coloured by direction),
// smile, head pitch and yaw, speech and pauses, and marks (fillers, alerts). Drawn once per size on a
// canvas, with tick labels on the same time axis; the playhead is a moved element, so playing and
// scrubbing redraw nothing.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.ts';
import type { Alert, Frame, Speech } from '../types.ts';

// Okabe–Ito colours, told apart with every common colour-vision deficiency; each also has a word.
export const GAZE_COLOURS: Record<string, string> = {
  CENTER: '#009E73',
  LEFT: '#E69F00',
  RIGHT: '#D55E00',
  UP: '#56B4E9',
  DOWN: '#CC79A7',
  none: '#C9CCD1',
};
const COLOURS = {
  smileLine: '#B07800',
  smileFill: 'rgba(230, 159, 0, 0.3)',
  pitch: '#0072B2',
  yaw: '#D55E00',
  speech: '#0072B2',
  pauseFill: 'rgba(0, 0, 0, 0.08)',
  pauseMark: '#555B63',
  filler: '#1D232B',
  alert: 'rgba(213, 94, 0, 0.28)',
};
const LANE_HEIGHT = 34;
const MARK_LANE_HEIGHT = 26;
const LANES = ['gaze', 'smile', 'head', 'speech', 'marks'] as const;
const TICK_STEPS_SEC = [5, 10, 15, 20, 30, 60, 120, 300];
/** Room for one tick label ("0:00" and a gap), in CSS pixels. */
const TICK_SPACING_PX = 56;

/** Seconds between ticks: every 5 or 10 s where the width allows, fewer on a narrow screen. */
export function tickStep(duration: number, width: number): number {
  const fits = Math.max(1, Math.floor(width / TICK_SPACING_PX));
  return TICK_STEPS_SEC.find((step) => duration / step <= fits) ?? TICK_STEPS_SEC.at(-1)!;
}

export interface TimelineData {
  duration: number;
  frames: Frame[];
  speech: Speech | null;
  alerts: Alert[];
  smilingThreshold: number;
}

export function Timeline({ data, video }: { data: TimelineData; video: HTMLVideoElement | null }) {
  const { t, clock } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const track = useRef<HTMLDivElement>(null);
  const playhead = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const [width, setWidth] = useState(0);
  const height = LANE_HEIGHT * 4 + MARK_LANE_HEIGHT;

  // Draw whenever the data or the width changes.
  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const paint = () => {
      draw(element, data, height);
      setWidth(element.clientWidth);
    };
    paint();
    const observer = new ResizeObserver(paint);
    observer.observe(element);
    return () => observer.disconnect();
  }, [data, height]);

  // The playhead follows the video: every animation frame while it plays, and on every seek.
  useEffect(() => {
    if (!video) return;
    let frame = 0;
    const place = () => {
      const x = Math.min(1, Math.max(0, video.currentTime / data.duration));
      if (playhead.current) playhead.current.style.transform = `translateX(${x * (track.current?.clientWidth ?? 0)}px)`;
      track.current?.setAttribute('aria-valuenow', String(Math.round(video.currentTime)));
      track.current?.setAttribute('aria-valuetext', clock(video.currentTime));
    };
    const loop = () => {
      place();
      frame = requestAnimationFrame(loop);
    };
    const play = () => {
      cancelAnimationFrame(frame);
      loop();
    };
    const pause = () => {
      cancelAnimationFrame(frame);
      place();
    };
    video.addEventListener('play', play);
    video.addEventListener('pause', pause);
    video.addEventListener('seeked', place);
    video.addEventListener('timeupdate', place);
    addEventListener('resize', place);
    place();
    return () => {
      cancelAnimationFrame(frame);
      video.removeEventListener('play', play);
      video.removeEventListener('pause', pause);
      video.removeEventListener('seeked', place);
      video.removeEventListener('timeupdate', place);
      removeEventListener('resize', place);
    };
  }, [video, data.duration, clock]);

  const seekTo = (clientX: number) => {
    const box = track.current?.getBoundingClientRect();
    if (!box || !video) return;
    const time = Math.min(1, Math.max(0, (clientX - box.left) / box.width)) * data.duration;
    video.currentTime = time;
    if (playhead.current) playhead.current.style.transform = `translateX(${(time / data.duration) * box.width}px)`;
  };

  const step = tickStep(data.duration, width);
  const ticks = width ? Array.from({ length: Math.floor(data.duration / step) + 1 }, (_, i) => i * step) : [];

  return (
    <div class="timeline">
      <div class="timeline-head">
        <h2>{t.timeline}</h2>
        <p id={hintId} class="muted small">
          {t.timelineHint}
        </p>
      </div>
      <div class="lane-labels" aria-hidden="true">
        {LANES.map((lane) => (
          <span key={lane} style={{ height: `${lane === 'marks' ? MARK_LANE_HEIGHT : LANE_HEIGHT}px` }}>
            {t.lanes[lane]}
          </span>
        ))}
      </div>
      <div
        ref={track}
        class="lanes"
        role="slider"
        tabIndex={0}
        aria-label={t.timeline}
        aria-describedby={hintId}
        aria-valuemin={0}
        aria-valuemax={Math.round(data.duration)}
        aria-valuenow={0}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          seekTo(event.clientX);
        }}
        onPointerMove={(event) => {
          if (event.currentTarget.hasPointerCapture(event.pointerId)) seekTo(event.clientX);
        }}
        onKeyDown={(event) => {
          if (!video) return;
          const step = event.key === 'ArrowRight' ? 5 : event.key === 'ArrowLeft' ? -5 : 0;
          if (!step) return;
          event.preventDefault();
          video.currentTime = Math.min(data.duration, Math.max(0, video.currentTime + step));
        }}
      >
        <canvas ref={canvas} style={{ height: `${height}px` }} data-frames={data.frames.length} />
        <div ref={playhead} class="playhead" aria-hidden="true" />
      </div>
      <div class="time-axis" aria-hidden="true">
        {ticks.map((tick) => (
          <span key={tick} class="tick tabular" style={{ left: `${(tick / data.duration) * 100}%` }}>
            {clock(tick)}
          </span>
        ))}
      </div>
      <Legend data={data} />
    </div>
  );
}

/** Which legend entries the lanes actually show. */
function present(data: TimelineData) {
  const gazes = new Set<string>(data.frames.map((frame) => (frame.valid ? (frame.gaze ?? 'none') : 'none')));
  const shows = (value: (frame: Frame) => number | null | undefined) =>
    data.frames.some((frame) => frame.valid && value(frame) !== null && value(frame) !== undefined);
  return {
    gazes,
    smile: shows((frame) => frame.smile),
    pitch: shows((frame) => frame.pitch),
    yaw: shows((frame) => frame.yaw),
    speaking: (data.speech?.speech_segments.length ?? 0) > 0,
    pause: (data.speech?.pauses.length ?? 0) > 0,
    filler: data.speech?.fillers.some((filler) => filler.t !== null) ?? false,
    alerts: data.alerts.length > 0,
  };
}

function Legend({ data }: { data: TimelineData }) {
  const { t } = useI18n();
  const shown = present(data);
  return (
    <ul class="legend" aria-label={t.legend}>
      {Object.entries(GAZE_COLOURS)
        .filter(([gaze]) => shown.gazes.has(gaze))
        .map(([gaze, colour]) => (
          <li key={gaze}>
            <span class="swatch" style={{ background: colour }} aria-hidden="true" />
            {t.gaze[gaze]}
          </li>
        ))}
      {shown.smile && (
        <li>
          <span
            class="line-swatch"
            style={{ borderTopColor: COLOURS.smileLine, borderTopStyle: 'dashed' }}
            aria-hidden="true"
          />
          {t.smileThreshold}
        </li>
      )}
      {shown.pitch && (
        <li>
          <span class="line-swatch" style={{ borderTopColor: COLOURS.pitch }} aria-hidden="true" />
          {t.headPitch}
        </li>
      )}
      {shown.yaw && (
        <li>
          <span
            class="line-swatch"
            style={{ borderTopColor: COLOURS.yaw, borderTopStyle: 'dashed' }}
            aria-hidden="true"
          />
          {t.headYaw}
        </li>
      )}
      {shown.speaking && (
        <li>
          <span class="swatch" style={{ background: COLOURS.speech }} aria-hidden="true" />
          {t.speaking}
        </li>
      )}
      {shown.pause && (
        <li>
          <span class="swatch" style={{ color: COLOURS.pauseMark }} aria-hidden="true">
            ◆
          </span>
          {t.pause}
        </li>
      )}
      {shown.filler && (
        <li>
          <span class="swatch" style={{ color: COLOURS.filler }} aria-hidden="true">
            ▲
          </span>
          {t.filler}
        </li>
      )}
      {shown.alerts && (
        <li>
          <span class="swatch" style={{ background: COLOURS.alert }} aria-hidden="true" />
          {t.alerts}
        </li>
      )}
    </ul>
  );
}

/** Paints every lane; the canvas matches its CSS size times the device pixel ratio. */
function draw(canvas: HTMLCanvasElement, data: TimelineData, height: number): void {
  const width = canvas.clientWidth;
  if (!width) return;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const x = (t: number) => (t / data.duration) * width;
  const { frames } = data;
  const step = frames.length > 1 ? frames[1]!.t - frames[0]!.t : data.duration;

  // Lane backgrounds.
  for (let lane = 0; lane < 5; lane++) {
    g.fillStyle = lane % 2 ? '#f7f8fa' : '#ffffff';
    g.fillRect(0, lane * LANE_HEIGHT, width, lane === 4 ? MARK_LANE_HEIGHT : LANE_HEIGHT);
  }
  // The time axis's ticks, as faint lines across every lane.
  const tick = tickStep(data.duration, width);
  g.fillStyle = '#e3e6ea';
  for (let at = tick; at < data.duration; at += tick) g.fillRect(Math.round(x(at)), 0, 1, height);

  // Gaze: one rectangle per run of frames with the same direction.
  let runStart = 0;
  for (let i = 1; i <= frames.length; i++) {
    const gaze = (frame: Frame | undefined) => (frame?.valid ? (frame.gaze ?? 'none') : 'none');
    if (i < frames.length && gaze(frames[i]) === gaze(frames[runStart])) continue;
    g.fillStyle = GAZE_COLOURS[gaze(frames[runStart])]!;
    const from = x(frames[runStart]!.t);
    const to = i < frames.length ? x(frames[i]!.t) : x(frames[i - 1]!.t + step);
    g.fillRect(from, 4, Math.max(1, to - from), LANE_HEIGHT - 8);
    runStart = i;
  }

  // Smile: an area from 0 to 1, with the smiling threshold dashed.
  const smileTop = LANE_HEIGHT + 3;
  const smileHeight = LANE_HEIGHT - 6;
  const smileY = (value: number) => smileTop + smileHeight * (1 - value);
  g.fillStyle = COLOURS.smileFill;
  g.strokeStyle = COLOURS.smileLine;
  g.lineWidth = 1.25;
  plotLine(g, frames, (frame) => frame.smile, x, smileY, smileY(0));
  g.setLineDash([3, 3]);
  g.strokeStyle = '#9aa0a6';
  g.beginPath();
  g.moveTo(0, smileY(data.smilingThreshold));
  g.lineTo(width, smileY(data.smilingThreshold));
  g.stroke();
  g.setLineDash([]);

  // Head pitch and yaw in degrees, ±30° filling the lane.
  const headMiddle = LANE_HEIGHT * 2 + LANE_HEIGHT / 2;
  const headY = (degrees: number) => headMiddle - (Math.max(-30, Math.min(30, degrees)) / 30) * (LANE_HEIGHT / 2 - 3);
  g.strokeStyle = '#dfe2e6';
  g.beginPath();
  g.moveTo(0, headMiddle);
  g.lineTo(width, headMiddle);
  g.stroke();
  g.lineWidth = 1.25;
  g.strokeStyle = COLOURS.pitch;
  plotLine(g, frames, (frame) => frame.pitch, x, headY, null);
  g.strokeStyle = COLOURS.yaw;
  g.setLineDash([4, 2]);
  plotLine(g, frames, (frame) => frame.yaw, x, headY, null);
  g.setLineDash([]);

  // Speech stretches and pauses.
  const speechTop = LANE_HEIGHT * 3;
  for (const stretch of data.speech?.speech_segments ?? []) {
    g.fillStyle = COLOURS.speech;
    g.fillRect(
      x(stretch.start_sec),
      speechTop + 9,
      Math.max(1, x(stretch.end_sec) - x(stretch.start_sec)),
      LANE_HEIGHT - 18,
    );
  }
  for (const pause of data.speech?.pauses ?? []) {
    g.fillStyle = COLOURS.pauseFill;
    g.fillRect(x(pause.start_sec), speechTop + 3, Math.max(1, x(pause.end_sec) - x(pause.start_sec)), LANE_HEIGHT - 6);
    diamond(g, (x(pause.start_sec) + x(pause.end_sec)) / 2, speechTop + LANE_HEIGHT / 2, 5, COLOURS.pauseMark);
  }

  // Marks: alerts as ranges, fillers as triangles.
  const marksTop = LANE_HEIGHT * 4;
  for (const alert of data.alerts) {
    g.fillStyle = COLOURS.alert;
    g.fillRect(x(alert.start_t), marksTop + 2, Math.max(2, x(alert.end_t) - x(alert.start_t)), MARK_LANE_HEIGHT - 4);
  }
  g.fillStyle = COLOURS.filler;
  for (const filler of data.speech?.fillers ?? []) {
    if (filler.t === null) continue;
    const cx = x(filler.t);
    g.beginPath();
    g.moveTo(cx, marksTop + 5);
    g.lineTo(cx + 6, marksTop + MARK_LANE_HEIGHT - 5);
    g.lineTo(cx - 6, marksTop + MARK_LANE_HEIGHT - 5);
    g.closePath();
    g.fill();
  }
  // For bench:web: when the review's timeline was first drawn.
  if (!performance.getEntriesByName('timeline-drawn').length) performance.mark('timeline-drawn');
}

/** A line through the frames' values, broken where a value is missing; filled down to `base` if given. */
function plotLine(
  g: CanvasRenderingContext2D,
  frames: Frame[],
  value: (frame: Frame) => number | null,
  x: (t: number) => number,
  y: (value: number) => number,
  base: number | null,
): void {
  let run: Array<[number, number]> = [];
  const flush = () => {
    if (run.length === 0) return;
    if (base !== null && run.length > 1) {
      g.beginPath();
      g.moveTo(run[0]![0], base);
      for (const [px, py] of run) g.lineTo(px, py);
      g.lineTo(run[run.length - 1]![0], base);
      g.closePath();
      g.fill();
    }
    g.beginPath();
    run.forEach(([px, py], index) => (index ? g.lineTo(px, py) : g.moveTo(px, py)));
    g.stroke();
    run = [];
  };
  for (const frame of frames) {
    const v = frame.valid ? value(frame) : null;
    if (v === null || v === undefined) flush();
    else run.push([x(frame.t), y(v)]);
  }
  flush();
}

function diamond(g: CanvasRenderingContext2D, cx: number, cy: number, r: number, colour: string): void {
  g.fillStyle = colour;
  g.beginPath();
  g.moveTo(cx, cy - r);
  g.lineTo(cx + r, cy);
  g.lineTo(cx, cy + r);
  g.lineTo(cx - r, cy);
  g.closePath();
  g.fill();
}
