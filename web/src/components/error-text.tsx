// The server's message for a refused request, or ours for a network failure.
import { ApiError } from '../api.ts';
import { useI18n } from '../i18n/index.ts';

export function errorMessage(error: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (error instanceof ApiError) return error.status === 0 ? t.networkError : error.status >= 500 ? t.genericError : error.message;
  return t.genericError;
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
