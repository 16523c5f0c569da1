// The shell: language, the signed-in user, the header and the routes. Logged out, any address shows
// the login and then the page that was asked for.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, setApiLanguage, setUnauthorisedHandler, tokenStore } from './api.ts';
import { setAnnouncer } from './announce.ts';
import { I18nContext, initialLang, makeI18n, rememberLang, type Lang } from './i18n/index.ts';
import { Documents } from './pages/documents.tsx';
import { Home } from './pages/home.tsx';
import { Login } from './pages/login.tsx';
import { NewSession } from './pages/new-session.tsx';
import { NotFound } from './pages/not-found.tsx';
import { ProgressPage } from './pages/progress.tsx';
import { ReportPage } from './pages/report.tsx';
import { Review } from './pages/review.tsx';
import { SessionPage } from './pages/session.tsx';
import { match, useLocation } from './router.ts';
import type { User } from './types.ts';

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  // Set while rendering, not in an effect: the pages' effects (which run before this one's) already ask
  // in the new language, and the server answers feedback in it.
  setApiLanguage(lang);
  const i18n = useMemo(
    () =>
      makeI18n(lang, (next) => {
        rememberLang(next);
        setLang(next);
      }),
    [lang],
  );
  const [user, setUser] = useState<User | null>(null);
  const [signedIn, setSignedIn] = useState(() => tokenStore.get() !== null);
  const [notice, setNotice] = useState<string | null>(null);
  const { path } = useLocation();
  const live = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => setAnnouncer(live.current), []);
  // A new screen: keyboard and screen-reader users start at its content, not where the old one was.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path !== firstPath.current) document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
  useEffect(() => {
    setUnauthorisedHandler(() => {
      tokenStore.clear();
      setUser(null);
      setSignedIn(false);
      setNotice('expired');
    });
  }, []);
  useEffect(() => {
    if (!signedIn) return;
    api<User>('GET', '/api/users/me').then(setUser, () => {});
  }, [signedIn]);

  const logout = () => {
    tokenStore.clear();
    setUser(null);
    setSignedIn(false);
    setNotice(null);
  };
  const t = i18n.t;

  return (
    <I18nContext.Provider value={i18n}>
      <a class="skip" href="#main">
        {t.skipToContent}
      </a>
      <header class="top">
        <a class="brand" href="/">
          {t.appName}
        </a>
        {signedIn && (
          <nav aria-label={t.appName}>
            <a href="/" aria-current={path === '/' ? 'page' : undefined}>
              {t.navHome}
            </a>
            <a href="/documents" aria-current={path === '/documents' ? 'page' : undefined}>
              {t.navDocuments}
            </a>
            <a href="/progress" aria-current={path === '/progress' ? 'page' : undefined}>
              {t.history.nav}
            </a>
          </nav>
        )}
        <div class="top-actions">
          <button
            type="button"
            class="link"
            lang={lang === 'ko' ? 'en' : 'ko'}
            onClick={() => i18n.setLang(lang === 'ko' ? 'en' : 'ko')}
          >
            {t.switchLanguage}
          </button>
          {signedIn && (
            <button type="button" class="link" onClick={logout} title={user?.email}>
              {t.logout}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {signedIn ? (
          <Routes path={path} />
        ) : (
          <Login
            notice={
              notice === 'expired'
                ? t.sessionExpired
                : path === '/' || path === '/login' || path === '/signup'
                  ? null
                  : t.loginToContinue
            }
            onSignedIn={() => {
              setNotice(null);
              setSignedIn(true);
            }}
          />
        )}
      </main>
      <div ref={live} class="visually-hidden" aria-live="polite" role="status" />
    </I18nContext.Provider>
  );
}

function Routes({ path }: { path: string }) {
  let params: Record<string, string> | null;
  if (path === '/' || path === '/login' || path === '/signup') return <Home />;
  if (path === '/documents') return <Documents />;
  if (path === '/sessions/new') return <NewSession />;
  if (path === '/progress') return <ProgressPage />;
  if ((params = match('/sessions/:id/report', path))) return <ReportPage key={params.id} sessionId={params.id!} />;
  if ((params = match('/sessions/:id', path))) return <SessionPage key={params.id} sessionId={params.id!} />;
  if ((params = match('/sessions/:id/record/:questionId', path))) {
    return <SessionPage key={params.id} sessionId={params.id!} recordFor={params.questionId!} />;
  }
  if ((params = match('/videos/:id', path))) return <Review key={params.id} videoId={params.id!} />;
  return <NotFound />;
}
