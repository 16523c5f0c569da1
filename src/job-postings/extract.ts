// A posting's main text, title and company from its HTML: Mozilla's Readability (Firefox Reader View) on
// a linkedom document, the title and company from the page's metadata (JSON-LD JobPosting, Open Graph,
// <title>). Lines are kept (list items as "- " bullets) so the requirement lines can be found later.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { JOB_POSTING_LIMITS } from './limits.ts';

export interface ExtractedPosting {
  title: string | null;
  /** From the page's metadata, else its host name. */
  company: string;
  text: string;
}

const BLOCKS = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'TR',
  'UL',
  'OL',
  'DL',
  'DT',
  'DD',
  'PRE',
  'TABLE',
  'BLOCKQUOTE',
]);

/** Text with a line per block and a "- " bullet per list item. */
function textOf(root: { childNodes: ArrayLike<unknown> }): string {
  const out: string[] = [];
  const walk = (node: {
    nodeType: number;
    nodeName: string;
    textContent: string | null;
    childNodes: ArrayLike<unknown>;
  }) => {
    if (node.nodeType === 3) return void out.push(node.textContent ?? '');
    if (node.nodeType !== 1) return;
    const name = node.nodeName.toUpperCase();
    if (name === 'SCRIPT' || name === 'STYLE' || name === 'NOSCRIPT') return;
    if (name === 'BR') return void out.push('\n');
    if (name === 'LI') out.push('\n- ');
    else if (BLOCKS.has(name)) out.push('\n');
    for (const child of Array.from(node.childNodes)) walk(child as typeof node);
    if (name === 'LI' || BLOCKS.has(name)) out.push('\n');
  };
  for (const child of Array.from(root.childNodes)) walk(child as Parameters<typeof walk>[0]);
  return out
    .join('')
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter((line) => line && line !== '-')
    .join('\n');
}

/** The JobPosting object of the page's JSON-LD, if it has one. */
function jobPostingLd(document: Document): Record<string, unknown> | null {
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      const data: unknown = JSON.parse(script.textContent ?? '');
      const items = (Array.isArray(data) ? data : [data]).flatMap((item) =>
        item && typeof item === 'object' && Array.isArray((item as { '@graph'?: unknown })['@graph'])
          ? ((item as { '@graph': unknown[] })['@graph'] as unknown[])
          : [item],
      );
      const posting = items.find((item) => (item as { '@type'?: unknown })?.['@type'] === 'JobPosting');
      if (posting) return posting as Record<string, unknown>;
    } catch {
      // Malformed JSON-LD is common; the other metadata remains.
    }
  }
  return null;
}

const clean = (value: unknown, max: number): string | null => {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, max) : null;
};

export function extractPosting(html: string, url: URL): ExtractedPosting {
  const { document } = parseHTML(html);
  const meta = (selector: string) => document.querySelector(selector)?.getAttribute('content') ?? null;
  const ld = jobPostingLd(document as unknown as Document);
  const organization = ld?.hiringOrganization as { name?: unknown } | undefined;
  const pageTitle = document.querySelector('title')?.textContent ?? null;

  const title =
    clean(ld?.title, 300) ??
    clean(meta('meta[property="og:title"]'), 300) ??
    clean(pageTitle?.split(/\s[|\-–]\s/)[0], 300);
  const company =
    clean(organization?.name, 200) ??
    clean(meta('meta[property="og:site_name"]'), 200) ??
    clean(meta('meta[name="author"]'), 200) ??
    url.hostname.replace(/^www\./, '');

  // Readability changes the document it reads, so the metadata is read first.
  const article = new Readability(document as unknown as Document).parse();
  let text = '';
  if (article?.content)
    text = textOf(parseHTML(`<!doctype html><html><body>${article.content}</body></html>`).document.body);
  if (text.length < 50) text = textOf(parseHTML(html).document.body ?? { childNodes: [] });
  if (!text && typeof ld?.description === 'string')
    text = textOf(parseHTML(`<!doctype html><html><body>${ld.description}</body></html>`).document.body);
  return { title, company, text: text.slice(0, JOB_POSTING_LIMITS.rawTextChars) };
}
