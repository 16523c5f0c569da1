// Coaching lines, strengths first, each with the stretch of video it comes from as a link that plays it;
// lines about what the answer said (from the transcript) carry a tag, the rest are about delivery.
import { useI18n } from '../i18n/index.ts';
import type { Feedback } from '../types.ts';

const GROUPS = [
  { severity: 'info', heading: 'strengths' },
  { severity: 'warning', heading: 'practise' },
  { severity: 'suggestion', heading: 'notes' },
] as const;

export function FeedbackList({ items, seek }: { items: Feedback[]; seek: (t: number) => void }) {
  const { t, clock, lang } = useI18n();
  // Gemini's lines cannot be rewritten in another language: say so when some are in the other one.
  const other = items.find((item) => item.lang !== lang)?.lang;
  return (
    <>
      {other && <p class="muted feedback-lang-note">{t.feedbackWrittenIn[other]}</p>}
      {GROUPS.map(({ severity, heading }) => {
        const group = items.filter((item) => item.severity === severity);
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
    </>
  );
}
