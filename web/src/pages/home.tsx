// Your sessions, newest first, each with its status and a line about its answers.
import { api } from '../api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePageTitle } from '../components/use-page-title.ts';
import { useI18n } from '../i18n/index.ts';
import type { Question, Session, Video } from '../types.ts';

interface SessionRow {
  session: Session;
  questions: number;
  answers: number;
  analysed: number;
}

const SHOWN = 30;

export function Home() {
  const { t, date } = useI18n();
  usePageTitle(t.homeTitle);
  const rows = useLoad(async (): Promise<SessionRow[]> => {
    const sessions = await api<Session[]>('GET', `/api/interviews/sessions/?limit=${SHOWN}`);
    return Promise.all(
      sessions.map(async (session) => {
        const [questions, videos] = await Promise.all([
          api<Question[]>('GET', `/api/interviews/sessions/${session.id}/questions`),
          api<Video[]>('GET', `/api/interviews/sessions/${session.id}/videos`),
        ]);
        const analysed = videos.filter((video) => video.analysis_status === 'succeeded').length;
        return { session, questions: questions.length, answers: videos.length, analysed };
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
        {rows.data?.map(({ session, questions, answers, analysed }) => (
          <li key={session.id} class="card session-card">
            <a href={`/sessions/${session.id}`} class="card-link">
              <span class="card-title">{session.title || t.untitledSession}</span>
            </a>
            <span class={`badge status-${session.status}`}>{t.status[session.status] ?? session.status}</span>
            <span class="muted">
              {t.questionsCount(questions)} · {t.sessionSummary(answers, analysed)}
            </span>
            <time class="muted small" dateTime={session.created_at}>
              {date(session.created_at)}
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}
