// A PDF's text is read in a child process of the worker pool, so a large or hostile PDF never blocks
// the HTTP event loop, and one that breaks the time limit is stopped at once by killing its process.
// A process, not a thread: terminating a worker thread while pdf.js inflates a stream aborted the
// whole server (Node asserts when a thread's zlib stream is torn down before its init finished).
import type { PdfLimits } from '../config.ts';
import { Errors } from '../http/errors.ts';
import { processWorkers, WorkerPool } from '../worker-pool.ts';
import type { PdfReply, PdfRequest } from './pdf-reader.ts';

/** PDFs read at once; more wait their turn (their time limit starts when a reader takes them). */
const PDF_READERS = 2;

export interface PdfReader {
  /** The text of every page, one page per line break, or a 422 naming the limit the PDF broke. */
  read(file: string): Promise<string>;
  close(): Promise<void>;
}

export function createPdfReader(limits: PdfLimits): PdfReader {
  const pool = new WorkerPool<PdfRequest, 'ready', PdfReply>(
    PDF_READERS,
    processWorkers(new URL('./pdf-reader.ts', import.meta.url)),
    'PDF reader',
  );
  return {
    async read(file) {
      const stop = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      // The time limit starts once the reader has pdf.js loaded and the file in hand.
      const started = () => {
        timer = setTimeout(() => stop.abort(new Errors.PdfTooSlow(limits.timeoutSec)), limits.timeoutSec * 1000);
      };
      let reply: PdfReply;
      try {
        reply = await pool.run(
          { file, maxPages: limits.maxPages, maxTextChars: limits.maxTextChars },
          started,
          stop.signal,
        );
      } finally {
        clearTimeout(timer);
      }
      switch (reply.type) {
        case 'text':
          return reply.text;
        case 'too-many-pages':
          throw new Errors.PdfTooManyPages(reply.pages, limits.maxPages);
        case 'too-much-text':
          throw new Errors.PdfTooMuchText(limits.maxTextChars);
        case 'invalid':
          throw new Errors.InvalidPdf(reply.message);
      }
    },
    close: () => pool.close(),
  };
}
