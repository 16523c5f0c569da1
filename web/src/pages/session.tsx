// A session: its questions (with type badges) and their answers; record an answer to any question.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import { announce } from '../announce.ts';
import { ErrorText } from '../components/error-text.tsx';
import { Recorder } from '../components/recorder.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePageTitle } from '../components/use-page-title.ts';
import { attemptNumbers, attemptStatus, shortTime } from '../history.ts';
import { useI18n } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import type { Question, Session, Video } from '../types.ts';
import { NotFound } from './not-found.tsx';

export function SessionPage({ sessionId, recordFor }: { sessionId: string; recordFor?: string }) {
  const { t, lang, date } = useI18n();
  const data = useLoad(
    () =>
      Promise.all([
        api<Session>('GET', `/api/interviews/sessions/${sessionId}`),
        api<Question[]>('GET', `/api/interviews/sessions/${sessionId}/questions`),
        api<Video[]>('GET', `/api/interviews/sessions/${sessionId}/videos`),
      ]),
    [sessionId],
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(data.data ? data.data[0].title || t.untitledSession : null);
  // An answer being analysed: look again shortly, so its chip turns to "analysed" on its own.
  const analysing = !recordFor && data.data?.[2].some((video) => attemptStatus(video) === 'analysing');
  useEffect(() => {
    if (!analysing) return;
    const timer = setTimeout(data.reload, 4000);
    return () => clearTimeout(timer);
  }, [analysing, data.data]);

  if (data.error instanceof ApiError && data.error.status === 404) return <NotFound />;
  if (!data.data) {
    return (
      <section class="page">
        <ErrorText error={data.error} />
        {!data.error && <p class="muted">{t.loading}</p>}
      </section>
    );
  }
  const [session, questions, videos] = data.data;
  const recording = questions.find((question) => question.id === recordFor);
  const attempts = attemptNumbers(videos);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      data.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const addQuestion = (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const text = String(new FormData(formElement).get('text')).trim();
    if (!text) return;
    void act(async () => {
      await api('POST', `/api/interviews/sessions/${sessionId}/questions`, { text });
      formElement.reset();
    });
  };

  return (
    <section class="page">
      <div class="page-head">
        <div>
          <h1>{session.title || t.untitledSession}</h1>
          <span class={`badge status-${session.status}`}>{t.status[session.status] ?? session.status}</span>{' '}
          <span class="muted small">{date(session.created_at)}</span>
        </div>
        {/* Not while recording: the recorder has the page to itself, and a practice is not finished mid-answer. */}
        {!recording && (
          <div class="row wrap">
            <a class="button" href={`/sessions/${sessionId}/report`}>
              {t.history.sessionReport}
            </a>
            {session.status !== 'completed' && (
              <button
                type="button"
                disabled={busy}
                onClick={() => act(() => api('PATCH', `/api/interviews/sessions/${sessionId}/complete`))}
              >
                {t.completeSession}
              </button>
            )}
          </div>
        )}
      </div>
      {recording ? (
        // Recording has the page to itself: the question, the camera and the controls.
        <Recorder
          question={recording}
          sessionId={sessionId}
          onClose={() => navigate(`/sessions/${sessionId}`)}
          onSubmitted={(videoId) => navigate(`/videos/${videoId}`, { force: true })}
        />
      ) : (
        questionList()
      )}
    </section>
  );

  function questionList() {
    return (
      <>
        <ErrorText error={error} />
        <h2>{t.questions}</h2>
        <ol class="questions">
          {questions.map((question) => {
            const answers = videos
              .filter((video) => video.question_id === question.id)
              .sort((a, b) => (attempts.get(a.id) ?? 0) - (attempts.get(b.id) ?? 0));
            return (
              <li key={question.id} class={`card question${question.type === 'followup' ? ' followup' : ''}`}>
                <div class="question-head">
                  <span class={`badge type-${question.type}`}>{t.questionType[question.type] ?? question.type}</span>
                  <p class="question-text">{question.text}</p>
                </div>
                <div class="row wrap">
                  {answers.length > 0 && (
                    <ul class="attempt-chips" aria-label={t.history.answersOf(question.text)}>
                      {answers.map((video) => {
                        const status = attemptStatus(video);
                        return (
                          <li key={video.id}>
                            <a class={`chip attempt-chip attempt-${status}`} href={`/videos/${video.id}`}>
                              {t.history.attempt(attempts.get(video.id) ?? 0)} ·{' '}
                              <time dateTime={video.created_at} title={date(video.created_at)}>
                                {shortTime(video.created_at, lang)}
                              </time>{' '}
                              · <span class="attempt-status">{t.history.status[status]}</span>
                            </a>
                          </li>
                        );
                      })}
                    </ul>
                  )}
                  <a
                    class="button"
                    href={`/sessions/${sessionId}/record/${question.id}`}
                    aria-label={`${t.recordAnswer}: ${question.text}`}
                  >
                    {t.recordAnswer}
                  </a>
                </div>
              </li>
            );
          })}
        </ol>
        <div class="row wrap">
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              act(async () => {
                await api('POST', `/api/interviews/sessions/${sessionId}/questions/generate?lang=${lang}`);
                announce(t.questions);
              })
            }
          >
            {t.generateMore}
          </button>
        </div>
        <form class="row add-question" onSubmit={addQuestion}>
          <label class="grow">
            {t.newQuestion}
            <input name="text" required maxLength={5000} />
          </label>
          <button type="submit" disabled={busy}>
            {t.addQuestion}
          </button>
        </form>
      </>
    );
  }
}
