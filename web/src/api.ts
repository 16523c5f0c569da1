// The API client: JSON calls with the bearer token, uploads with byte progress and cancel, and the
// job's event stream read with fetch() (EventSource cannot send the Authorization header).
import type { Job } from './types.ts';

const TOKEN_KEY = 'interview-practice.token';

/** An error reply of the API (`{detail, code}`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const tokenStore = {
  get: () => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/** Called when the server refuses our token: the app sends the user to log in again. */
let onUnauthorised: (code: string) => void = () => {};
export function setUnauthorisedHandler(handler: (code: string) => void): void {
  onUnauthorised = handler;
}

let acceptLanguage = 'ko';
export function setApiLanguage(lang: string): void {
  acceptLanguage = lang;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = tokenStore.get();
  return { 'accept-language': acceptLanguage, ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: { detail?: unknown; code?: unknown } = {};
  try {
    body = await response.json();
  } catch {
    // Not our JSON (a proxy's page): keep the status.
  }
  const detail = typeof body.detail === 'string' ? body.detail : response.statusText;
  const error = new ApiError(response.status, typeof body.code === 'string' ? body.code : 'HTTP_ERROR', detail);
  if (response.status === 401 && tokenStore.get()) onUnauthorised(error.code);
  return error;
}

export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  if (!response.ok) throw await errorOf(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export interface UploadHandle<T> {
  done: Promise<T>;
  cancel(): void;
}

/** A multipart upload with byte progress (fetch has none for request bodies) and a cancel. */
export function upload<T>(
  path: string,
  form: FormData,
  onProgress: (sent: number, total: number) => void,
): UploadHandle<T> {
  const request = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    request.open('POST', path);
    for (const [name, value] of Object.entries(headers())) request.setRequestHeader(name, value);
    request.responseType = 'json';
    request.upload.onprogress = (event) => onProgress(event.loaded, event.total);
    request.onload = () => {
      const body = request.response as { detail?: string; code?: string } | null;
      if (request.status >= 200 && request.status < 300) return resolve(body as T);
      if (request.status === 401 && tokenStore.get()) onUnauthorised(body?.code ?? 'INVALID_TOKEN');
      reject(new ApiError(request.status, body?.code ?? 'HTTP_ERROR', body?.detail ?? request.statusText));
    };
    request.onerror = () => reject(new ApiError(0, 'NETWORK', 'network error'));
    request.onabort = () => reject(new DOMException('cancelled', 'AbortError'));
    request.send(form);
  });
  return { done, cancel: () => request.abort() };
}

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000];
const POLL_MS = 1500;
/** The waits before asking again after a failed poll; one more failure and following gives up. */
const POLL_RETRY_DELAYS_MS = [1000, 2000, 4000];

/** A refusal that asking again will not change: a 4xx other than a timeout or "too many requests". */
function refused(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && ![408, 429].includes(error.status);
}

/**
 * Follows a job to its end: the server-sent event stream first, reconnecting when it drops, then
 * polling the job when the stream keeps failing. A failed poll is retried a few times, waiting longer
 * each time. Resolves with the finished job; rejects when the server refuses or stays unreachable.
 */
export async function followJob(jobId: string, onUpdate: (job: Job) => void, signal: AbortSignal): Promise<Job> {
  const finished = (job: Job) => job.status === 'succeeded' || job.status === 'failed';
  for (const delay of RECONNECT_DELAYS_MS) {
    try {
      const last = await readEvents(jobId, onUpdate, signal);
      if (last && finished(last)) return last;
    } catch (error) {
      if (signal.aborted || refused(error)) throw error;
    }
    await sleep(delay, signal);
  }
  let failures = 0;
  for (;;) {
    let job: Job;
    try {
      job = await api<Job>('GET', `/api/video/jobs/${jobId}`, undefined, signal);
    } catch (error) {
      if (signal.aborted || refused(error) || failures === POLL_RETRY_DELAYS_MS.length) throw error;
      await sleep(POLL_RETRY_DELAYS_MS[failures++]!, signal);
      continue;
    }
    failures = 0;
    onUpdate(job);
    if (finished(job)) return job;
    await sleep(POLL_MS, signal);
  }
}

/** Reads one connection of the event stream; returns the last job seen when it closes. */
async function readEvents(jobId: string, onUpdate: (job: Job) => void, signal: AbortSignal): Promise<Job | null> {
  const response = await fetch(`/api/video/jobs/${jobId}/events`, {
    headers: headers({ accept: 'text/event-stream' }),
    signal,
  });
  if (!response.ok || !response.body) throw await errorOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last: Job | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return last;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (!data) continue; // a comment (heartbeat)
      last = JSON.parse(data) as Job;
      onUpdate(last);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal.addEventListener('abort', abort, { once: true });
  });
}
