// Portfolios (PDF: drop or pick, with a progress bar) and job postings (pasted text). Each item opens
// to show the text the questions will be made from, so a PDF read badly is noticed before a session.
import { useState } from 'preact/hooks';
import { api, upload } from '../api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePageTitle } from '../components/use-page-title.ts';
import { useI18n } from '../i18n/index.ts';
import { announce } from '../announce.ts';
import type { JobPosting, Portfolio } from '../types.ts';
import type { JOB_POSTING_LIMITS } from '../../../src/job-postings/limits.ts';

/** The server's limit on a posting's text: its literal type makes tsc fail here if the server's changes. */
const RAW_TEXT_MAX: (typeof JOB_POSTING_LIMITS)['rawTextChars'] = 30_000;

/** Enough of the text to judge how it was read, without a wall of it. */
const TEXT_SHOWN_CHARS = 1500;

function ExtractedText({ text }: { text: string | null }) {
  const { t, number } = useI18n();
  const trimmed = text?.trim() ?? '';
  return (
    <details class="extracted">
      <summary class="small">{t.extractedText}</summary>
      {trimmed ? (
        <>
          <p class="extracted-text">
            {trimmed.length > TEXT_SHOWN_CHARS ? `${trimmed.slice(0, TEXT_SHOWN_CHARS)}…` : trimmed}
          </p>
          {trimmed.length > TEXT_SHOWN_CHARS && (
            <p class="muted small">{t.textCut(number(TEXT_SHOWN_CHARS, 0), number(trimmed.length, 0))}</p>
          )}
        </>
      ) : (
        <p class="muted small">{t.noExtractedText}</p>
      )}
    </details>
  );
}

export function Documents() {
  const { t } = useI18n();
  usePageTitle(t.documentsTitle);
  return (
    <section class="page">
      <h1>{t.documentsTitle}</h1>
      <div class="two-columns">
        <Portfolios />
        <Postings />
      </div>
    </section>
  );
}

function Portfolios() {
  const { t, date, percent } = useI18n();
  const portfolios = useLoad(() => api<Portfolio[]>('GET', '/api/portfolios/'), []);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);

  const send = async (file: File | undefined) => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    setError(null);
    setProgress(0);
    announce(t.uploading);
    try {
      await upload<Portfolio>('/api/portfolios/upload', form, (sent, total) => setProgress(total ? sent / total : 0))
        .done;
      portfolios.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setProgress(null);
    }
  };

  const remove = async (portfolio: Portfolio) => {
    if (!confirm(t.confirmDelete(portfolio.filename))) return;
    try {
      await api('DELETE', `/api/portfolios/${portfolio.id}`);
      portfolios.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section aria-labelledby="portfolios-heading" class="panel">
      <h2 id="portfolios-heading">{t.portfolios}</h2>
      <div
        class={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void send(event.dataTransfer?.files[0]);
        }}
      >
        <span>{t.dropPdf}</span>
        <label class="button">
          {t.choosePdf}
          <input
            type="file"
            accept="application/pdf,.pdf"
            class="visually-hidden"
            disabled={progress !== null}
            onChange={(event) => {
              const input = event.currentTarget;
              void send(input.files?.[0]).then(() => (input.value = ''));
            }}
          />
        </label>
      </div>
      {progress !== null && (
        <label class="progress-label">
          {t.uploading} {percent(progress)}
          <progress max={1} value={progress} />
        </label>
      )}
      <ErrorText error={error ?? portfolios.error} />
      {portfolios.data?.length === 0 && <p class="empty">{t.noPortfolios}</p>}
      <ul class="list">
        {portfolios.data?.map((portfolio) => (
          <li key={portfolio.id}>
            <span class="grow">
              <strong>{portfolio.filename}</strong>
              <span class="muted small"> · {date(portfolio.created_at)}</span>
            </span>
            <button
              type="button"
              class="link danger"
              onClick={() => remove(portfolio)}
              aria-label={`${t.delete}: ${portfolio.filename}`}
            >
              {t.delete}
            </button>
            <ExtractedText text={portfolio.parsed_text} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Postings() {
  const { t, date } = useI18n();
  const postings = useLoad(() => api<JobPosting[]>('GET', '/api/job-postings/'), []);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/job-postings/', {
        company_name: String(form.get('company_name')),
        title: String(form.get('title')),
        raw_text: String(form.get('raw_text')),
      });
      formElement.reset();
      postings.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (posting: JobPosting) => {
    if (!confirm(t.confirmDelete(`${posting.company_name} ${posting.title}`))) return;
    try {
      await api('DELETE', `/api/job-postings/${posting.id}`);
      postings.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section aria-labelledby="postings-heading" class="panel">
      <h2 id="postings-heading">{t.postings}</h2>
      <form class="stack" onSubmit={add}>
        <div class="row">
          <label class="grow">
            {t.company}
            <input name="company_name" required maxLength={200} />
          </label>
          <label class="grow">
            {t.jobTitle}
            <input name="title" required maxLength={300} />
          </label>
        </div>
        <label>
          {t.postingText}
          <textarea name="raw_text" rows={5} required maxLength={RAW_TEXT_MAX} />
        </label>
        <button type="submit" class="primary fit" disabled={busy}>
          {t.addPosting}
        </button>
      </form>
      <ErrorText error={error ?? postings.error} />
      {postings.data?.length === 0 && <p class="empty">{t.noPostings}</p>}
      <ul class="list">
        {postings.data?.map((posting) => (
          <li key={posting.id}>
            <span class="grow">
              <strong>{posting.company_name}</strong> · {posting.title}
              <span class="muted small"> · {date(posting.created_at)}</span>
            </span>
            <button
              type="button"
              class="link danger"
              onClick={() => remove(posting)}
              aria-label={`${t.delete}: ${posting.company_name} ${posting.title}`}
            >
              {t.delete}
            </button>
            <ExtractedText text={posting.raw_text} />
          </li>
        ))}
      </ul>
    </section>
  );
}
