// A PDF's text is read in a worker thread of its own, so a large or hostile PDF never blocks the HTTP
// event loop, and its memory goes with the thread. Limits on pages, time and text length refuse the rest.
import { Worker } from 'node:worker_threads';
import type { PdfLimits } from '../config.ts';
import { Errors } from '../http/errors.ts';
import type { PdfReply, PdfRequest } from './pdf-thread.ts';

/** The text of every page, one page per line break, or a 422 naming the limit the PDF broke. */
export function readPdfText(file: string, limits: PdfLimits): Promise<string> {
  const request: PdfRequest = { file, maxPages: limits.maxPages, maxTextChars: limits.maxTextChars };
  const thread = new Worker(new URL('../ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./pdf-thread.ts', import.meta.url).href, ...request },
  });
  return new Promise<string>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (settle: () => void) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      void thread.terminate();
      settle();
    };
    thread.on('message', (reply: PdfReply) => {
      switch (reply.type) {
        case 'ready':
          timer = setTimeout(
            () => finish(() => reject(new Errors.PdfTooSlow(limits.timeoutSec))),
            limits.timeoutSec * 1000,
          );
          return;
        case 'text':
          return finish(() => resolve(reply.text));
        case 'too-many-pages':
          return finish(() => reject(new Errors.PdfTooManyPages(reply.pages, limits.maxPages)));
        case 'too-much-text':
          return finish(() => reject(new Errors.PdfTooMuchText(limits.maxTextChars)));
        case 'invalid':
          return finish(() => reject(new Errors.InvalidPdf(reply.message)));
      }
    });
    thread.on('error', (error) => finish(() => reject(error)));
    thread.on('exit', (code) =>
      finish(() => reject(new Error(`the PDF thread exited with code ${code} before answering`))),
    );
  });
}
