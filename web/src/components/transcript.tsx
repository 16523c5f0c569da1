// The transcript: every segment (and word, when the engine gave word times) plays the video from its
// start when clicked; fillers are marked; pauses appear in the text where they happened.
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.ts';
import type { Speech, TranscriptSegment } from '../types.ts';

interface Word {
  word: string;
  start?: number;
  end?: number;
}

export interface TranscriptData {
  segments: TranscriptSegment[];
  words: Word[] | null;
  speech: Speech | null;
}

/** Lower-case letters and digits: how fillers and words are compared. */
const bare = (word: string) => word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

export function Transcript({
  data,
  seek,
  video,
}: {
  data: TranscriptData;
  seek: (t: number) => void;
  video: HTMLVideoElement | null;
}) {
  const { t, clock, number } = useI18n();
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (!video) return;
    const update = () => setNow(video.currentTime);
    video.addEventListener('timeupdate', update);
    return () => video.removeEventListener('timeupdate', update);
  }, [video]);

  const fillers = data.speech?.fillers ?? [];
  const timedWords = data.words?.filter((word) => typeof word.start === 'number') ?? [];
  // A timed word is a filler when a filler of the same word was found at its time.
  const isFiller = (word: string, start: number) =>
    fillers.some((filler) => bare(filler.word) === bare(word) && filler.t !== null && Math.abs(filler.t - start) < 0.3);

  /**
   * Without word times, a segment's words that match its fillers are marked, each filler once: "그"
   * said once as a filler marks one "그", not every one.
   */
  const markFillers = (segment: TranscriptSegment, all: typeof fillers) => {
    const left = new Map<string, number>();
    for (const filler of all) {
      if (filler.t !== null && (filler.t < segment.start - 0.5 || filler.t > segment.end + 0.5)) continue;
      left.set(bare(filler.word), (left.get(bare(filler.word)) ?? 0) + 1);
    }
    return segment.text
      .trim()
      .split(/(\s+)/)
      .map((token, w) => {
        const remaining = left.get(bare(token)) ?? 0;
        if (!bare(token) || remaining === 0) return token;
        left.set(bare(token), remaining - 1);
        return <mark key={w}>{token}</mark>;
      });
  };

  // Segments and pauses in time order.
  type Item = { kind: 'segment'; segment: TranscriptSegment } | { kind: 'pause'; start: number; duration: number };
  const items: Item[] = [
    ...data.segments.map((segment): Item => ({ kind: 'segment', segment })),
    ...(data.speech?.pauses ?? []).map((pause): Item => ({
      kind: 'pause',
      start: pause.start_sec,
      duration: pause.duration_sec,
    })),
  ].sort(
    (a, b) => (a.kind === 'segment' ? a.segment.start : a.start) - (b.kind === 'segment' ? b.segment.start : b.start),
  );

  return (
    <div class="transcript-body" lang={data.speech?.language ?? undefined}>
      {items.map((item, index) => {
        if (item.kind === 'pause') {
          return (
            <button
              key={`p${index}`}
              type="button"
              class="pause-mark"
              onClick={() => seek(item.start)}
              aria-label={`${t.pause} ${number(item.duration)}${t.unit.seconds}: ${t.seekTo(clock(item.start))}`}
            >
              {t.pauseMark(number(item.duration))}
            </button>
          );
        }
        const { segment } = item;
        const active = now >= segment.start && now < segment.end;
        const words = timedWords.filter((word) => word.start! >= segment.start - 0.01 && word.start! < segment.end);
        return (
          <span key={`s${index}`} class={`segment${active ? ' active' : ''}`}>
            <button
              type="button"
              class="segment-time tabular"
              onClick={() => seek(segment.start)}
              aria-label={t.seekTo(clock(segment.start))}
            >
              {clock(segment.start)}
            </button>{' '}
            {words.length ? (
              words.map((word, w) => (
                <span key={w} class="word" data-start={word.start} onClick={() => seek(word.start!)}>
                  {isFiller(word.word, word.start!) ? <mark>{word.word.trim()}</mark> : word.word.trim()}{' '}
                </span>
              ))
            ) : (
              <span class="segment-text" data-start={segment.start} onClick={() => seek(segment.start)}>
                {markFillers(segment, fillers)}
              </span>
            )}{' '}
          </span>
        );
      })}
    </div>
  );
}
