// Coaching lines, strengths first, each with the stretch of video it comes from as a link that plays it;
// lines about what the answer said (from the transcript) carry a tag, the rest are about delivery.
// A few lines show first (the UX brief: strengths, then at most two or three things to practise); the
// rest wait behind one toggle.
import { useId, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.ts';
import type { Feedback } from '../types.ts';

const GROUPS = [
  { severity: 'info', heading: 'strengths' },
  { severity: 'warning', heading: 'practise' },
  { severity: 'suggestion', heading: 'notes' },
] as const;

/** Lines shown before "show all": strengths, and things to practise (warnings first, then suggestions). */
const SHOWN = { strengths: 3, practise: 3 };

/** The lines to show while collapsed: the first strengths, and the first warnings then suggestions. */
function firstLines(items: Feedback[]): Set<Feedback> {
  const strengths = items.filter((item) => item.severity === 'info').slice(0, SHOWN.strengths);
  const practise = [
    ...items.filter((item) => item.severity === 'warning'),
    ...items.filter((item) => item.severity === 'suggestion'),
  ].slice(0, SHOWN.practise);
  return new Set([...strengths, ...practise]);
}

export function FeedbackList({ items, seek }: { items: Feedback[]; seek: (t: number) => void }) {
  const { t, clock, lang } = useI18n();
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  // Gemini's lines cannot be rewritten in another language: say so when some are in the other one.
  const other = items.find((item) => item.lang !== lang)?.lang;
  const first = firstLines(items);
  const known = new Set<string>(GROUPS.map((group) => group.severity));
  const hidden = items.filter((item) => known.has(item.severity) && !first.has(item)).length;
  return (
    <>
      {other && <p class="muted feedback-lang-note">{t.feedbackWrittenIn[other]}</p>}
      <div id={listId}>
        {GROUPS.map(({ severity, heading }) => {
          const group = items.filter((item) => item.severity === severity && (expanded || first.has(item)));
          if (!group.length) return null;
          return (
            <div key={severity} class={`feedback-group severity-${severity}`}>
              <h3>{t[heading]}</h3>
              <ul>
                {group.map((item) => (
                  <li key={item.id}>
                    {item.category === 'content' && <span class="tag">{t.contentTag}</span>}
                    <strong>{item.title}</strong> <span>{item.message}</span>{' '}
                    {item.start_sec !== null && (
                      <button
                        type="button"
                        class="time-link tabular"
                        onClick={() => seek(item.start_sec!)}
                        aria-label={t.seekTo(clock(item.start_sec))}
                      >
                        {clock(item.start_sec)}
                        {item.end_sec !== null && item.end_sec > item.start_sec ? `–${clock(item.end_sec)}` : ''}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      {hidden > 0 && (
        <button
          type="button"
          class="link feedback-more"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? t.feedbackMore.showFewer : t.feedbackMore.showAll(hidden)}
        </button>
      )}
    </>
  );
}
