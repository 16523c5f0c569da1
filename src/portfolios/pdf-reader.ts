// PDF reader process (see pdf.ts): reads each PDF's text, page by page, within the page and text
// limits. The caller times each one and kills the process when it runs too long.
import { readFile } from 'node:fs/promises';
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { runThreadInBackground } from '../analysis/priority.ts';
import { serveTasks } from '../worker-pool.ts';

export interface PdfRequest {
  file: string;
  maxPages: number;
  maxTextChars: number;
}

export type PdfReply =
  | { type: 'text'; text: string }
  | { type: 'too-many-pages'; pages: number }
  | { type: 'too-much-text' }
  | { type: 'invalid'; message: string };

/** The text of every page, one page per line break; PostgreSQL cannot hold NUL characters. */
async function readText({ file, maxPages, maxTextChars }: PdfRequest): Promise<PdfReply> {
  // Not reading the file is our fault (an error of the thread), not the PDF's.
  const bytes = new Uint8Array(await readFile(file));
  let pdf;
  try {
    // Errors only: pdf.js would print its warnings about damaged files on the server's stdout.
    pdf = await getDocumentProxy(bytes, { verbosity: 0 });
  } catch (error) {
    return { type: 'invalid', message: (error as Error).message };
  }
  try {
    if (pdf.numPages > maxPages) return { type: 'too-many-pages', pages: pdf.numPages };
    const pages: string[] = [];
    let length = 0;
    // One page at a time, so memory holds one page's content and the text limit stops early.
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const { items } = await page.getTextContent();
      page.cleanup();
      const text = items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
        .join('')
        .replaceAll('\u0000', '');
      length += text.length + (number > 1 ? 1 : 0);
      if (length > maxTextChars) return { type: 'too-much-text' };
      pages.push(text);
    }
    return { type: 'text', text: pages.join('\n') };
  } catch (error) {
    return { type: 'invalid', message: (error as Error).message };
  } finally {
    await pdf.destroy();
  }
}

runThreadInBackground();
const pdfjs = getResolvedPDFJS();
// The 'ready' event: pdf.js is loaded, so a slow start is not held against the file.
serveTasks<PdfRequest, 'ready', PdfReply>(async (request, emit) => {
  await pdfjs;
  emit('ready');
  return readText(request);
});
