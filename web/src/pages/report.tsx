// A practice's report: the habits the server ranks (the strongest, and what to practise next), each
// question's latest analysed answer with its top feedback, and the questions still to answer.
import { api, ApiError } from '../api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePageTitle } from '../components/use-page-title.ts';
import { HabitColumns, HabitItem } from '../components/habits.tsx';
import { type Report } from '../history.ts';
import { useI18n } from '../i18n/index.ts';
import { NotFound } from './not-found.tsx';

export function ReportPage({ sessionId }: { sessionId: string }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
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
          <HabitColumns strongest={report.strongest} practiseNext={report.practise_next} figures={figures} />
          <details class="all-habits">
            <summary>{h.allHabits}</summary>
            <ul class="habits">
              {report.habits.map((item) => (
                <HabitItem key={item.habit} item={item} figures={figures} />
              ))}
            </ul>
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
