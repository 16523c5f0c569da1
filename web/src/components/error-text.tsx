// The server's message for a refused request, or ours for a network failure; and why an analysis failed.
import { ApiError } from '../api.ts';
import { useI18n } from '../i18n/index.ts';
import type { Job } from '../types.ts';

type Messages = ReturnType<typeof useI18n>['t'];

const SELF_EXPLAINED = new Set(['EMAIL_TAKEN', 'INVALID_CREDENTIALS', 'RATE_LIMITED', 'NOT_FOUND']);

/**
 * Our sentence for the error's code, with the server's detail where the language keeps it: English
 * shows the server's own message; Korean only the figures of a limit, said in Korean.
 */
export function errorMessage(error: unknown, t: Messages): string {
  if (!(error instanceof ApiError)) return t.genericError;
  if (error.status === 0) return t.networkError;
  if (error.status >= 500) return t.genericError;
  const ours = t.errors[error.code];
  if (ours && SELF_EXPLAINED.has(error.code)) return ours;
  const detail = t.serverDetail(error.code, error.message);
  if (!ours) return detail ?? t.requestRefused;
  return detail ? t.errorWithDetail(ours, detail) : ours;
}

/** Why the analysis failed, by the job's error kind, with what to do next (not the raw error). */
export function jobErrorText(job: Pick<Job, 'error_kind'> | null, t: Messages): string {
  return t.jobFailed[job?.error_kind ?? 'unknown'] ?? t.jobFailed.unknown!;
}

export function ErrorText({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {errorMessage(error, t)}
    </p>
  );
}
