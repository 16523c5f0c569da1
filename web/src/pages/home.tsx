// Your sessions, newest first, each with its status and a line about its answers.
import { api } from '../api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePageTitle } from '../components/use-page-title.ts';
import { useI18n } from '../i18n/index.ts';
import type { Question, Session, SessionSummary } from '../types.ts';

interface SessionRow {
  session: Session;
  questions: number;
  summary: SessionSummary;
}

const SHOWN = 30;

export function Home() {
  const { t, date, percent, number } = useI18n();
  usePageTitle(t.homeTitle);
  const rows = useLoad(async (): Promise<SessionRow[]> => {
    const sessions = await api<Session[]>('GET', `/api/interviews/sessions/?limit=${SHOWN}`);
    return Promise.all(
      sessions.map(async (session) => {
        const [questions, summary] = await Promise.all([
          api<Question[]>('GET', `/api/interviews/sessions/${session.id}/questions`),
          api<SessionSummary>('GET', `/api/interviews/sessions/${session.id}/summary`),
        ]);
        return { session, questions: questions.length, summary };
      }),
    );
  }, []);

  return (
    <section class="page">
      <div class="page-head">
        <h1>{t.homeTitle}</h1>
        <a class="button primary" href="/sessions/new">
          {t.newPractice}
        </a>
      </div>
      <ErrorText error={rows.error} />
      {rows.data === undefined && !rows.error && <p class="muted">{t.loading}</p>}
      {rows.data?.length === 0 && <p class="empty">{t.noSessions}</p>}
      <ul class="cards">
        {rows.data?.map(({ session, questions, summary }) => (
          <li key={session.id} class="card session-card">
            <a href={`/sessions/${session.id}`} class="card-link">
              <span class="card-title">{session.title || t.untitledSession}</span>
            </a>
            <span class={`badge status-${session.status}`}>{t.status[session.status] ?? session.status}</span>
            <span class="muted">
              {t.questionsCount(questions)} · {t.sessionSummary(summary.answers, summary.analysed)}
            </span>
            {summary.center_gaze_ratio_mean !== null && (
              <span class="small">
                {t.summaryMeans(
                  percent(summary.center_gaze_ratio_mean),
                  percent(summary.smile_ratio_mean ?? 0),
                  summary.filler_count_mean === null ? null : number(summary.filler_count_mean),
                )}
              </span>
            )}
            <time class="muted small" dateTime={session.created_at}>
              {date(session.created_at)}
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}
