// The analysis job's stage and percentage, from its event stream (or polling when the stream fails).
// Progress shown never goes backwards. When the job cannot be followed any more, a retry follows it
// again (the job itself carries on on the server).
import { useEffect, useState } from 'preact/hooks';
import { followJob } from '../api.ts';
import { announce } from '../announce.ts';
import { useI18n } from '../i18n/index.ts';
import type { Job } from '../types.ts';
import { errorMessage, jobErrorText } from './error-text.tsx';

export function JobProgress({ job: initial, onFinished }: { job: Job; onFinished: (job: Job) => void }) {
  const { t, percent } = useI18n();
  const [job, setJob] = useState(initial);
  const [shown, setShown] = useState(initial.progress);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let lastStage: string | null = null;
    followJob(
      initial.job_id,
      (update) => {
        setJob(update);
        setShown((before) => Math.max(before, update.progress));
        if (update.stage && update.stage !== lastStage) {
          lastStage = update.stage;
          announce(t.stage[update.stage] ?? update.stage);
        }
      },
      controller.signal,
    ).then(
      (finished) => {
        announce(finished.status === 'succeeded' ? t.analysisDone : jobErrorText(finished, t));
        onFinished(finished);
      },
      (caught) => !controller.signal.aborted && setError(caught),
    );
    return () => controller.abort();
  }, [initial.job_id, attempt]);

  return (
    <div class="job-progress panel">
      {/* The stage says it is analysing already ("얼굴 분석 중"): no "분석 중:" before it. */}
      <p class="stage-name">{t.stage[job.stage ?? 'queued'] ?? job.stage}</p>
      <label class="progress-label">
        <span class="tabular">{percent(shown)}</span>
        <progress max={1} value={shown} aria-label={t.analysing} />
      </label>
      <p class="muted small can-leave">{t.canLeave}</p>
      {error !== null && (
        <div class="error" role="alert">
          <p>
            {t.followLost} {errorMessage(error, t)}
          </p>
          <button
            type="button"
            onClick={() => {
              setError(null);
              setAttempt((n) => n + 1);
            }}
          >
            {t.retry}
          </button>
        </div>
      )}
    </div>
  );
}
