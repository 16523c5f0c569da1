// A new practice: pick a portfolio and a posting (or none); the questions are generated from them.
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePageTitle } from '../components/use-page-title.ts';
import { useI18n } from '../i18n/index.ts';
import { navigate } from '../router.ts';
import { announce } from '../announce.ts';
import type { JobPosting, Portfolio, Session } from '../types.ts';

export function NewSession() {
  const { t } = useI18n();
  usePageTitle(t.newSessionTitle);
  const documents = useLoad(
    () => Promise.all([api<Portfolio[]>('GET', '/api/portfolios/'), api<JobPosting[]>('GET', '/api/job-postings/')]),
    [],
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [portfolios, postings] = documents.data ?? [[], []];

  const create = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const pick = (name: string) => (form.get(name) ? String(form.get(name)) : null);
    setBusy(true);
    setError(null);
    announce(t.creatingSession);
    try {
      const session = await api<Session>('POST', '/api/interviews/sessions', {
        title: pick('title'),
        portfolio_id: pick('portfolio_id'),
        job_posting_id: pick('job_posting_id'),
        generate_questions: true,
      });
      navigate(`/sessions/${session.id}`);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <section class="page narrow">
      <h1>{t.newSessionTitle}</h1>
      <p class="muted">
        {t.documentsHint} <a href="/documents">{t.navDocuments}</a>
      </p>
      <form class="stack" onSubmit={create}>
        <label>
          {t.sessionTitle}
          <input name="title" maxLength={300} placeholder={t.sessionTitlePlaceholder} />
        </label>
        <label>
          {t.portfolio}
          <select name="portfolio_id">
            <option value="">{t.none}</option>
            {portfolios.map((portfolio, index) => (
              <option key={portfolio.id} value={portfolio.id} selected={index === 0}>
                {portfolio.filename}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.posting}
          <select name="job_posting_id">
            <option value="">{t.none}</option>
            {postings.map((posting, index) => (
              <option key={posting.id} value={posting.id} selected={index === 0}>
                {posting.company_name} · {posting.title}
              </option>
            ))}
          </select>
        </label>
        <ErrorText error={error ?? documents.error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.creatingSession : t.createSession}
        </button>
      </form>
    </section>
  );
}
