// Log in or sign up. After either, the app shows the address that was asked for.
import { useState } from 'preact/hooks';
import { api, tokenStore } from '../api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { usePageTitle } from '../components/use-page-title.ts';
import { useI18n } from '../i18n/index.ts';
import { navigate, useLocation } from '../router.ts';
import type { Token } from '../types.ts';

export function Login({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const [mode, setMode] = useState<'login' | 'signup'>(path === '/signup' ? 'signup' : 'login');
  usePageTitle(mode === 'login' ? t.loginTitle : t.signupTitle);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const email = String(form.get('email'));
    const password = String(form.get('password'));
    setBusy(true);
    setError(null);
    try {
      if (mode === 'signup')
        await api('POST', '/api/users/signup', { email, password, name: String(form.get('name')) });
      const { access_token } = await api<Token>('POST', '/api/users/login', { email, password });
      tokenStore.set(access_token);
      if (path === '/login' || path === '/signup') navigate('/', { replace: true });
      onSignedIn();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="page narrow auth">
      <p class="tagline">{t.tagline}</p>
      <h1>{mode === 'login' ? t.loginTitle : t.signupTitle}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} class="stack">
        {mode === 'signup' && (
          <label>
            {t.name}
            <input name="name" autoComplete="name" required maxLength={100} />
          </label>
        )}
        <label>
          {t.email}
          <input name="email" type="email" autoComplete="email" required />
        </label>
        {/* The hint is outside the label: it describes the box, it is not part of its name. */}
        <div class="field">
          <label>
            {t.password}
            <input
              name="password"
              type="password"
              autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
              required
              minLength={8}
              maxLength={72}
              aria-describedby={mode === 'signup' ? 'password-hint' : undefined}
            />
          </label>
          {mode === 'signup' && (
            <small id="password-hint" class="hint">
              {t.passwordHint}
            </small>
          )}
        </div>
        <ErrorText error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {mode === 'login' ? t.login : t.signup}
        </button>
      </form>
      <p class="switch">
        {mode === 'login' ? t.noAccount : t.haveAccount}{' '}
        <button
          type="button"
          class="link"
          onClick={() => {
            setMode(mode === 'login' ? 'signup' : 'login');
            setError(null);
          }}
        >
          {mode === 'login' ? t.signup : t.login}
        </button>
      </p>
    </section>
  );
}
