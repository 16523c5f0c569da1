// A practice's report: the habits the server ranks (the strongest, and what to practise next), each
// question's latest analysed answer with its top feedback, and the questions still to answer.
import { api, ApiError } from '../api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePageTitle } from '../components/use-page-title.ts';
import { formatFigure, type Report } from '../history.ts';
import { useI18n } from '../i18n/index.ts';
import { NotFound } from './not-found.tsx';

type Habit = Report['habits'][number];

export function ReportPage({ sessionId }: { sessionId: string }) {
  const i18n = useI18n();
  const { t, lang, percent } = i18n;
  const h = t.history;
  const loaded = useLoad(() => api<Report>('GET', `/api/interviews/sessions/${sessionId}/report`), [sessionId, lang]);
  usePageTitle(h.sessionReport);

  if (loaded.error instanceof ApiError && loaded.error.status === 404) return <NotFound />;
  const report = loaded.data;
  const back = (
    <a href={`/sessions/${sessionId}`} class="small">
      ← {t.backToSession}
    </a>
  );
  if (!report) {
    return (
      <section class="page">
        {back}
        <h1>{h.sessionReport}</h1>
        <ErrorText error={loaded.error} />
        {!loaded.error && <p class="muted">{t.loading}</p>}
      </section>
    );
  }
  const figures = new Map(report.figures.map((figure) => [figure.key, figure]));
  const answered = report.questions.filter((question) => question.latest !== null);

  const habit = (item: Habit) => (
    <li key={item.habit} class="habit" data-habit={item.habit}>
      <strong>{item.label}</strong>{' '}
      <span class="muted small tabular">{h.habitScore(percent(item.score), item.measured)}</span>
      <ul class="habit-figures small">
        {item.figures.map((figure) => {
          const definition = figures.get(figure.key)!;
          return (
            <li key={figure.key}>
              {definition.label}: {formatFigure(definition, figure.mean, i18n, true)}
            </li>
          );
        })}
      </ul>
    </li>
  );

  return (
    <section class="page report-page">
      <div class="page-head">
        <div>
          {back}
          <h1>{h.sessionReport}</h1>
          <p class="muted">{report.session.title || t.untitledSession}</p>
        </div>
      </div>
      {answered.length === 0 ? (
        <div class="empty">
          <p>{h.noReport}</p>
          <a class="button" href={`/sessions/${sessionId}`}>
            {t.backToSession}
          </a>
        </div>
      ) : (
        <>
          <div class="two-columns">
            <section class="panel habits-strong" aria-labelledby="strongest-title">
              <h2 id="strongest-title">
                <span aria-hidden="true">✓ </span>
                {h.strongest}
              </h2>
              {report.strongest.length ? (
                <ul class="habits">{report.strongest.map(habit)}</ul>
              ) : (
                <p class="muted">{h.noStrongest}</p>
              )}
            </section>
            <section class="panel habits-practise" aria-labelledby="practise-title">
              <h2 id="practise-title">
                <span aria-hidden="true">▲ </span>
                {h.practiseNext}
              </h2>
              {report.practise_next.length ? (
                <ul class="habits">{report.practise_next.map(habit)}</ul>
              ) : (
                <p class="muted">{h.noPractise}</p>
              )}
            </section>
          </div>
          <details class="all-habits">
            <summary>{h.allHabits}</summary>
            <ul class="habits">{report.habits.map(habit)}</ul>
          </details>
          <section aria-labelledby="report-questions-title">
            <h2 id="report-questions-title">{h.questionsTitle}</h2>
            <ol class="questions">
              {answered.map((question) => (
                <li key={question.question_id} class="card">
                  <div class="question-head">
                    <span class={`badge type-${question.type}`}>{t.questionType[question.type] ?? question.type}</span>
                    <h3 class="question-text">{question.text}</h3>
                  </div>
                  <p class="muted small">{h.attempts(question.attempts)}</p>
                  <ul class="report-feedback">
                    {question.latest!.feedback.map((item, index) => (
                      <li key={index} class={`severity-${item.severity}`}>
                        <strong>{item.title}</strong> {item.message}
                      </li>
                    ))}
                  </ul>
                  <a href={`/videos/${question.latest!.video_id}`}>{h.viewLatest}</a>
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
      {report.unanswered.length > 0 && (
        <section aria-labelledby="unanswered-title">
          <h2 id="unanswered-title">{h.unanswered}</h2>
          <ul class="list">
            {report.unanswered.map((question) => (
              <li key={question.question_id}>
                {question.text}{' '}
                {question.video_pending ? (
                  <span class="muted small">({h.pending})</span>
                ) : (
                  <a href={`/sessions/${sessionId}/record/${question.question_id}`}>{t.recordAnswer}</a>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
