// The server's message for a refused request, or ours for a network failure.
import { ApiError } from '../api.ts';
import { useI18n } from '../i18n/index.ts';

const SELF_EXPLAINED = new Set(['EMAIL_TAKEN', 'INVALID_CREDENTIALS', 'RATE_LIMITED', 'NOT_FOUND']);

export function errorMessage(error: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (!(error instanceof ApiError)) return t.genericError;
  if (error.status === 0) return t.networkError;
  if (error.status >= 500) return t.genericError;
  const ours = t.errors[error.code];
  if (!ours) return error.message;
  return SELF_EXPLAINED.has(error.code) ? ours : t.errorWithDetail(ours, error.message);
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
