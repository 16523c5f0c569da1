// Page reader process (see service.ts): extracts a posting from a fetched page. Readability's cost grows
// steeply with nesting (a 10 KB page of 2,000 nested elements took 45 s), so it runs here, where the
// caller can stop it at its time limit, and never on the HTTP event loop.
import { runThreadInBackground } from '../analysis/priority.ts';
import { serveTasks } from '../worker-pool.ts';
import { extractPosting, type ExtractedPosting } from './extract.ts';

export interface PageTask {
  html: string;
  url: string;
}

runThreadInBackground();
serveTasks<PageTask, never, ExtractedPosting>(async ({ html, url }) => extractPosting(html, new URL(url)));
