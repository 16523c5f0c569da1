// Your progress: every analysed answer's key figures over time, per figure the server's trend (your
// first answers' mean against your latest) and the share on target; links to each practice's report.
import { api } from '../api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { HabitColumns } from '../components/habits.tsx';
import { Sparkline } from '../components/sparkline.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePageTitle } from '../components/use-page-title.ts';
import { formatFigure, formatTarget, judged, type Figure, type Progress } from '../history.ts';
import { useI18n } from '../i18n/index.ts';

const ICONS: Record<string, string> = { improved: '✓', worse: '!', unchanged: '=' };
const LATEST_SHOWN = 10;

export function ProgressPage() {
  const i18n = useI18n();
  const { t, lang, date, percent } = i18n;
  const h = t.history;
  usePageTitle(h.progressTitle);
  const loaded = useLoad(() => api<Progress>('GET', '/api/users/me/progress'), [lang]);
  const progress = loaded.data;

  return (
    <section class="page progress-page">
      <div class="page-head">
        <h1>{h.progressTitle}</h1>
      </div>
      <ErrorText error={loaded.error} />
      {!progress && !loaded.error && <p class="muted">{t.loading}</p>}
      {progress && progress.answers.length === 0 && (
        <div class="empty">
          <p>{h.noAnswers}</p>
          <a class="button primary" href="/sessions/new">
            {t.newPractice}
          </a>
        </div>
      )}
      {progress && progress.answers.length > 0 && content(progress)}
    </section>
  );

  function content(progress: Progress) {
    const trends = new Map(progress.trends.map((trend) => [trend.key, trend]));
    const shown = judged(progress.figures).filter((figure) => (trends.get(figure.key)?.measured ?? 0) > 0);
    const sessions = new Map<string, { title: string | null; answers: number; latest: string }>();
    for (const answer of progress.answers) {
      const seen = sessions.get(answer.session_id);
      sessions.set(answer.session_id, {
        title: answer.session_title,
        answers: (seen?.answers ?? 0) + 1,
        latest: answer.recorded_at,
      });
    }
    const latest = progress.answers.slice(-LATEST_SHOWN).reverse();
    return (
      <>
        <p class="muted">{h.progressIntro}</p>
        {(progress.strongest.length > 0 || progress.practise_next.length > 0) && (
          <HabitColumns
            strongest={progress.strongest}
            practiseNext={progress.practise_next}
            figures={new Map(progress.figures.map((figure) => [figure.key, figure]))}
          />
        )}
        <section aria-labelledby="figures-title">
          <h2 id="figures-title">{h.figuresTitle}</h2>
          <ul class="progress-figures">{shown.map((figure) => figureCard(figure))}</ul>
        </section>
        <div class="two-columns progress-lists">
          <section aria-labelledby="latest-title">
            <h2 id="latest-title">{h.answersTitle}</h2>
            <ul class="list">
              {latest.map((answer) => (
                <li key={answer.video_id}>
                  <a href={`/videos/${answer.video_id}`}>
                    <time dateTime={answer.recorded_at}>{date(answer.recorded_at)}</time>
                  </a>{' '}
                  <span class={`badge type-${answer.question_type}`}>
                    {t.questionType[answer.question_type] ?? answer.question_type}
                  </span>{' '}
                  <span class="muted small">{answer.session_title || t.untitledSession}</span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="reports-title">
            <h2 id="reports-title">{h.reportsTitle}</h2>
            <ul class="list">
              {[...sessions]
                .sort(([, a], [, b]) => b.latest.localeCompare(a.latest))
                .map(([id, session]) => (
                  <li key={id}>
                    <a href={`/sessions/${id}/report`}>
                      {h.sessionReport}: {session.title || t.untitledSession}
                    </a>{' '}
                    <span class="muted small">{h.attempts(session.answers)}</span>
                  </li>
                ))}
            </ul>
          </section>
        </div>
      </>
    );

    function figureCard(figure: Figure) {
      const trend = trends.get(figure.key)!;
      const values = progress.answers.flatMap((answer) => {
        const value = answer.figures[figure.key];
        return value === null || value === undefined ? [] : [value];
      });
      const lastAnswer = progress.answers.findLast((answer) => answer.figures[figure.key] != null);
      const target = formatTarget(figure, i18n, lastAnswer?.length_target_sec);
      const band = figure.target && figure.target !== 'per_answer' ? figure.target : null;
      const outcome = trend.trend?.outcome ?? null;
      return (
        <li key={figure.key} class="panel progress-figure" data-figure={figure.key}>
          <h3>{figure.label}</h3>
          <p class="small muted">
            {target ? `${t.target(target)} · ` : ''}
            {h.better[figure.better ?? ''] ?? ''}
          </p>
          <Sparkline values={values} target={band} />
          {trend.trend ? (
            <p class="progress-trend">
              <span class="tabular">
                {formatFigure(figure, trend.trend.first_mean, i18n, true)} →{' '}
                <strong>{formatFigure(figure, trend.trend.last_mean, i18n, true)}</strong>
              </span>{' '}
              {outcome && (
                <span class={`outcome outcome-${outcome}`}>
                  <span aria-hidden="true">{ICONS[outcome]}</span> {h.outcome[outcome]}
                </span>
              )}
              <br />
              <span class="muted small">{h.trend(trend.trend.window)}</span>
            </p>
          ) : (
            <p class="small muted">{h.needTwo}</p>
          )}
          {trend.in_range_share !== null && (
            <p class="small">{h.inRange(percent(trend.in_range_share), trend.measured)}</p>
          )}
        </li>
      );
    }
  }
}
