// "Compared with your last attempt": this answer's key figures against the answer to the same
// question analysed before it, each marked better or worse by the figure's own direction as the server
// defines it; and links to the other answers to the question.
import { api } from '../api.ts';
import {
  attemptNumbers,
  attemptStatus,
  formatFigure,
  formatTarget,
  shortTime,
  type Attempts,
  type Change,
  type Figure,
} from '../history.ts';
import { useI18n } from '../i18n/index.ts';
import type { Video } from '../types.ts';
import { ErrorText } from './error-text.tsx';
import { useLoad } from './use-load.ts';

const ICONS: Record<string, string> = { improved: '✓', worse: '!', unchanged: '=' };

export function AttemptCompare({ video, analysedAt }: { video: Video; analysedAt: string | null }) {
  const i18n = useI18n();
  const { t, lang, date } = i18n;
  const h = t.history;
  const loaded = useLoad(
    () =>
      Promise.all([
        // An analysed answer is compared with the one before it, by the server.
        api<Attempts>(
          'GET',
          `/api/interviews/questions/${video.question_id}/attempts${analysedAt ? `?video_id=${video.id}` : ''}`,
        ),
        api<Video[]>('GET', `/api/interviews/sessions/${video.session_id}/videos`),
      ]),
    [video.id, analysedAt, lang],
  );

  if (!loaded.data) {
    return (
      <section class="panel area-compare" aria-labelledby="compare-title">
        <h2 id="compare-title">{h.compareTitle}</h2>
        <ErrorText error={loaded.error} />
        {!loaded.error && <p class="muted">{t.loading}</p>}
      </section>
    );
  }
  const [reply, sessionVideos] = loaded.data;
  const numbers = attemptNumbers(sessionVideos);
  const answers = sessionVideos
    .filter((other) => other.question_id === video.question_id)
    .sort((a, b) => (numbers.get(a.id) ?? 0) - (numbers.get(b.id) ?? 0));
  const index = reply.attempts.findIndex((attempt) => attempt.video_id === video.id);
  // Only an analysed answer is compared, and only with one analysed before it.
  if (index < 0 && answers.length < 2) return null;
  const current = reply.attempts[index];
  const previous = index > 0 ? reply.attempts[index - 1] : undefined;
  const name = (videoId: string) => h.attempt(numbers.get(videoId) ?? 0);

  const figures = new Map<string, Figure>(reply.figures.map((figure) => [figure.key, figure]));
  const changes =
    current && previous && reply.comparison ? reply.comparison.changes.filter((change) => change.outcome !== null) : [];
  const moved = changes.filter((change) => change.outcome !== 'unchanged');
  const still = changes.filter((change) => change.outcome === 'unchanged');
  // Better first, then worse: strengths before what to practise.
  moved.sort((a, b) => Number(a.outcome === 'worse') - Number(b.outcome === 'worse'));

  const row = (change: Change) => {
    const figure = figures.get(change.key)!;
    const target = formatTarget(figure, i18n, current?.length_target_sec);
    const difference = change.difference ?? 0;
    const direction = difference > 0 ? 'up' : difference < 0 ? 'down' : 'same';
    return (
      <li key={change.key} class={`compare-row outcome-${change.outcome}`} data-figure={change.key}>
        <span class="compare-label">
          {figure.label}
          <span class="muted small">
            {target ? t.target(target) : null}
            {target ? ' · ' : null}
            {h.better[figure.better ?? ''] ?? ''}
          </span>
        </span>
        <span class="compare-values tabular">
          <span class="compare-previous">{formatFigure(figure, change.previous!, i18n)}</span>
          {' → '}
          <strong class="compare-current">{formatFigure(figure, change.latest!, i18n)}</strong>{' '}
          <span aria-hidden="true" class="compare-arrow">
            {direction === 'up' ? '↑' : direction === 'down' ? '↓' : ''}
          </span>
          <span class="visually-hidden">({h.direction[direction]})</span>
        </span>
        <span class="compare-outcome">
          <span aria-hidden="true">{ICONS[change.outcome!]}</span> {h.outcome[change.outcome!]}
        </span>
      </li>
    );
  };

  return (
    <section class="panel area-compare" aria-labelledby="compare-title">
      <h2 id="compare-title">{h.compareTitle}</h2>
      {current && previous ? (
        <>
          <p class="small muted">{h.compareWith(name(previous.video_id), name(current.video_id))}</p>
          {moved.length > 0 && <ul class="compare-list">{moved.map(row)}</ul>}
          {still.length > 0 && (
            <details class="compare-still">
              <summary>{h.unchangedFigures(still.length)}</summary>
              <ul class="compare-list">{still.map(row)}</ul>
            </details>
          )}
        </>
      ) : current && reply.attempts.length === 1 ? (
        <p class="small">
          {h.firstAttempt} <a href={`/sessions/${video.session_id}/record/${video.question_id}`}>{h.recordAgain}</a>
        </p>
      ) : current ? (
        <p class="small">{h.noEarlier}</p>
      ) : null}
      {answers.length > 1 && (
        <nav aria-labelledby="other-attempts-title">
          <h3 class="small" id="other-attempts-title">
            {h.otherAttempts}
          </h3>
          <ul class="attempt-chips">
            {answers.map((other) => {
              const status = attemptStatus(other);
              const text = (
                <>
                  {name(other.id)} ·{' '}
                  <time dateTime={other.created_at} title={date(other.created_at)}>
                    {shortTime(other.created_at, lang)}
                  </time>{' '}
                  · <span class="attempt-status">{h.status[status]}</span>
                </>
              );
              return (
                <li key={other.id}>
                  {other.id === video.id ? (
                    <span class={`chip attempt-chip attempt-${status} attempt-current`} aria-current="page">
                      {text}
                      <span class="visually-hidden"> ({h.current})</span>
                    </span>
                  ) : (
                    <a class={`chip attempt-chip attempt-${status}`} href={`/videos/${other.id}`}>
                      {text}
                    </a>
                  )}
                </li>
              );
            })}
          </ul>
        </nav>
      )}
    </section>
  );
}
