// The review of one answer: the player, the timeline lanes on its time axis, the feedback and the
// measures (each pointing at its moment), and the transcript. While an analysis runs, its progress.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import { AttemptCompare } from '../components/attempt-compare.tsx';
import { ErrorText, jobErrorText } from '../components/error-text.tsx';
import { FeedbackList } from '../components/feedback-list.tsx';
import { JobProgress } from '../components/job-progress.tsx';
import { MetricCards, metricCards } from '../components/metric-cards.tsx';
import { Timeline, type TimelineData } from '../components/timeline.tsx';
import { Transcript, type TranscriptData } from '../components/transcript.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePageTitle } from '../components/use-page-title.ts';
import { useI18n } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import type { FeedbackRules, Frame, Job, Question, Results, Speech, Video } from '../types.ts';
import { NotFound } from './not-found.tsx';

interface PlaybackUrl {
  url: string;
  expires_at: string;
}

export function Review({ videoId }: { videoId: string }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const loaded = useLoad(async () => {
    const video = await api<Video>('GET', `/api/interviews/videos/${videoId}`);
    const [results, questions] = await Promise.all([
      api<Results>('GET', `/api/video/results/${videoId}`),
      api<Question[]>('GET', `/api/interviews/sessions/${video.session_id}/questions`),
    ]);
    return { video, results, question: questions.find((question) => question.id === video.question_id) ?? null };
  }, [videoId, lang]); // feedback comes in the page's language: read again when it changes
  const [player, setPlayer] = useState<HTMLVideoElement | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [running, setRunning] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [followUp, setFollowUp] = useState<Question | null>(null);
  const [busy, setBusy] = useState(false);
  const [unplayable, setUnplayable] = useState(false);
  const refreshedFor = useRef<string | null>(null);
  usePageTitle(t.reviewTitle);

  // A short-lived signed address for the player: a <video> cannot send the Authorization header.
  const refreshSource = useCallback(async () => {
    try {
      const { url } = await api<PlaybackUrl>('POST', `/api/interviews/videos/${videoId}/playback-url`);
      setSource(url);
    } catch (caught) {
      setError(caught);
    }
  }, [videoId]);
  useEffect(() => void refreshSource(), [refreshSource]);

  const job = loaded.data?.results.analysis ?? null;
  useEffect(() => {
    if (job && (job.status === 'queued' || job.status === 'running')) setRunning(job);
  }, [job?.job_id, job?.status]);

  const seek = useCallback(
    (time: number) => {
      if (!player) return;
      player.currentTime = time;
      void player.play().catch(() => {});
      // On a phone the player may be scrolled away from the line that was tapped.
      const box = player.getBoundingClientRect();
      if (box.bottom < 0 || box.top > innerHeight) player.scrollIntoView({ block: 'start' });
    },
    [player],
  );

  const results = loaded.data?.results;
  const view = useMemo(() => (results?.metrics ? reviewData(results) : null), [results]);

  if (loaded.error instanceof ApiError && loaded.error.status === 404) return <NotFound />;
  if (!loaded.data || !results) {
    return (
      <section class="page">
        <ErrorText error={loaded.error} />
        {!loaded.error && <p class="muted">{t.loading}</p>}
      </section>
    );
  }
  const { video, question } = loaded.data;

  /** One action at a time: a double click does not ask twice. */
  const act = async (action: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const analyse = () => act(async () => setRunning(await api<Job>('POST', `/api/video/analyze/${videoId}?async=true`)));
  const remove = async () => {
    if (!confirm(t.confirmDelete(t.answerAt(i18n.date(video.created_at))))) return;
    try {
      await api('DELETE', `/api/interviews/videos/${videoId}`);
      navigate(`/sessions/${video.session_id}`);
    } catch (caught) {
      setError(caught);
    }
  };
  const askFollowUp = () =>
    act(async () =>
      setFollowUp(
        await api<Question>('POST', `/api/interviews/questions/${video.question_id}/followup?lang=${lang}`, {}),
      ),
    );

  const cards = results.metrics
    ? metricCards(results.metrics, view?.rules ?? null, i18n, results.transcript_language, view?.timeline.frames ?? [])
    : [];
  const failed = !running && job?.status === 'failed';
  // Follow-up and analysing again sit in one compact row after the feedback (before it is analysed, at
  // the top); deleting, which cannot be undone, stands apart at the end of the page.
  const actions = (
    <div class="row wrap review-actions area-actions" role="group" aria-label={t.history.actions}>
      <button type="button" onClick={askFollowUp} disabled={busy}>
        {t.followUp}
      </button>
      <button type="button" onClick={analyse} disabled={busy || running !== null}>
        {results.metrics ? t.reanalyse : t.analyse}
      </button>
    </div>
  );

  return (
    <section class="page review">
      <div class="page-head">
        <div>
          <a href={`/sessions/${video.session_id}`} class="small">
            ← {t.backToSession}
          </a>
          <h1>{t.reviewTitle}</h1>
          {question && (
            <p class="question-large">
              <span class="visually-hidden">{t.question}: </span>
              {question.text}
            </p>
          )}
        </div>
      </div>
      {followUp && (
        <p class="notice" role="status">
          {t.followUpAdded(followUp.text)}{' '}
          <a href={`/sessions/${video.session_id}/record/${followUp.id}`}>{t.recordAnswer}</a>
        </p>
      )}
      <ErrorText error={error} />
      {running && (
        <JobProgress
          key={running.job_id}
          job={running}
          onFinished={() => {
            setRunning(null);
            loaded.reload();
          }}
        />
      )}
      {failed && (
        <div class="error" role="alert">
          <p>{jobErrorText(job, t)}</p>
          <button type="button" onClick={analyse}>
            {t.retry}
          </button>
        </div>
      )}
      {!results.metrics && !running && !failed && <p class="notice">{t.notAnalysed}</p>}
      {!results.metrics && actions}
      <div class="review-grid">
        <div class="review-main">
          <div class="area-player">
            <video
              ref={setPlayer}
              src={source ?? undefined}
              controls
              playsInline
              preload="metadata"
              aria-label={t.player}
              onError={() => {
                // The signed address may have expired: get a fresh one, once, and carry on where we
                // were. A second failure is the format (an AVI, say): the analysis is still below.
                if (!source || refreshedFor.current === source) return setUnplayable(true);
                refreshedFor.current = source;
                const at = player?.currentTime ?? 0;
                void refreshSource().then(() => player && (player.currentTime = at));
              }}
            />
            {unplayable && (
              <p class="notice" role="status">
                {t.unplayable}
              </p>
            )}
          </div>
          {view && (
            <section class="area-timeline panel" aria-label={t.timeline}>
              <Timeline data={view.timeline} video={player} />
            </section>
          )}
          {view && (
            <section class="area-transcript panel" aria-label={t.transcript}>
              <h2>{t.transcript}</h2>
              {view.transcript.segments.length ? (
                <Transcript data={view.transcript} seek={seek} video={player} />
              ) : (
                <p class="muted">{t.sttStatus[view.transcript.speech?.stt_status ?? 'disabled'] ?? t.noTranscript}</p>
              )}
            </section>
          )}
        </div>
        {results.metrics && (
          <div class="review-side">
            <section class="area-feedback panel" aria-label={t.feedback}>
              <h2>{t.feedback}</h2>
              <FeedbackList items={results.feedbacks} seek={seek} />
            </section>
            {actions}
            <AttemptCompare video={video} analysedAt={job?.finished_at ?? null} />
            <section class="area-cards" aria-label={t.metrics}>
              <MetricCards cards={cards} seek={seek} />
            </section>
          </div>
        )}
      </div>
      {!results.metrics && <AttemptCompare video={video} analysedAt={null} />}
      <div class="review-danger">
        <button type="button" class="danger" onClick={remove}>
          {t.deleteAnswer}
        </button>
      </div>
    </section>
  );
}

/** What the review draws, taken once from the results. */
function reviewData(results: Results): {
  timeline: TimelineData;
  transcript: TranscriptData;
  rules: FeedbackRules | null;
} {
  const metrics = results.metrics!;
  const metadata = (metrics.metadata ?? {}) as {
    duration_sec?: number | null;
    feedback_rules?: FeedbackRules;
    thresholds?: { smile?: { smiling_threshold?: number } };
  };
  const frames = (results.timeline ?? []) as Frame[];
  const speech = metrics.speech as Speech | null;
  const stored = results.transcript_segments as {
    segments?: TranscriptData['segments'];
    words?: TranscriptData['words'];
  } | null;
  const lastFrame = frames.length ? frames[frames.length - 1]!.t : 0;
  const duration = results.video.duration_sec ?? metadata.duration_sec ?? lastFrame;
  return {
    timeline: {
      duration: Math.max(duration, lastFrame, 0.1),
      frames,
      speech,
      alerts: results.alerts,
      smilingThreshold: metadata.thresholds?.smile?.smiling_threshold ?? 0.5,
    },
    transcript: { segments: stored?.segments ?? [], words: stored?.words ?? null, speech },
    rules: metadata.feedback_rules ?? null,
  };
}
