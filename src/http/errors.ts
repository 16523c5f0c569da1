// Every error the API returns on purpose, each with a stable code and status, and the handler
// that turns any error into the one JSON shape `{detail, code}`.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import createError from '@fastify/error';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { isInvalidText } from '../db/index.ts';

export const Errors = {
  BadUrl: createError('BAD_URL', 'The URL is not valid (malformed percent-encoding)', 400),
  BadQuery: createError(
    'BAD_URL',
    // Said with no arguments, so the % signs stay as written.
    'The query string is not valid: each % must start the percent-encoding of UTF-8 text, such as %20 (write % itself as %25)',
    400,
  ),
  InvalidJson: createError(
    'INVALID_JSON',
    'The body is not valid JSON, or it has a "__proto__" key or a "constructor" key holding "prototype", which are not allowed',
    400,
  ),
  BodyTooLarge: createError('BODY_TOO_LARGE', 'The request body is larger than the limit of %s', 413),
  InvalidPreflight: createError(
    'INVALID_PREFLIGHT',
    'A CORS preflight (OPTIONS) needs the Origin and Access-Control-Request-Method headers',
    400,
  ),
  RouteNotFound: createError('ROUTE_NOT_FOUND', 'Route %s %s not found', 404),
  NotAuthenticated: createError('NOT_AUTHENTICATED', 'Not authenticated', 401),
  InvalidToken: createError('INVALID_TOKEN', 'Invalid authentication credentials', 401),
  TokenExpired: createError('TOKEN_EXPIRED', 'Token has expired', 401),
  TokenUserGone: createError('USER_NOT_FOUND', 'User not found', 401),
  MediaUrlExpired: createError('MEDIA_URL_EXPIRED', 'The video link has expired; ask for a new one', 401),
  InvalidMediaUrl: createError('INVALID_MEDIA_URL', 'The video link is not valid for this video', 401),
  BadCredentials: createError('INVALID_CREDENTIALS', 'Incorrect email or password', 401),
  PasswordTooLong: createError(
    'PASSWORD_TOO_LONG',
    'The password is %d bytes long in UTF-8; at most %d bytes are read (a Hangul syllable takes 3)',
    422,
  ),
  NotOwner: createError('NOT_OWNER', 'user_id must be your own user id', 403),
  NotFound: createError('NOT_FOUND', '%s not found', 404),
  EmailTaken: createError('EMAIL_TAKEN', 'Email already registered', 409),
  FileTooLarge: createError('FILE_TOO_LARGE', 'File size exceeds %d MB limit', 413),
  TooManyParts: createError('TOO_MANY_PARTS', 'The form has too many parts: at most %d fields and %d file', 413),
  FieldTooLarge: createError('FIELD_TOO_LARGE', 'A form field is too long: at most %d bytes, and %d for its name', 413),
  QuotaExceeded: createError(
    'QUOTA_EXCEEDED',
    'This upload would take your stored files over your quota of %d MB; delete some first',
    413,
  ),
  UploadStalled: createError('UPLOAD_STALLED', 'Nothing of the request body arrived for %d s; send it again', 408),
  BodyTooSlow: createError(
    'BODY_TOO_SLOW',
    'The request body did not arrive whole within %d s (an upload has longer); send it again',
    408,
  ),
  UploadIncomplete: createError('UPLOAD_INCOMPLETE', 'The connection closed before the upload arrived whole', 400),
  MalformedForm: createError('MALFORMED_FORM', 'Not a well-formed multipart form: %s', 400),
  UriTooLong: createError('URI_TOO_LONG', 'A path parameter of the URL is too long', 414),
  UnsupportedMedia: createError('UNSUPPORTED_MEDIA', '%s', 415),
  FileMissing: createError('FILE_MISSING', 'Send the file in a multipart field named "file"', 422),
  FieldMissing: createError('FILE_MISSING', 'Send the file in a multipart field named "%s"', 422),
  UnsupportedAudio: createError(
    'UNSUPPORTED_AUDIO',
    'Not a readable audio recording; send WebM/Opus, Ogg, WAV, MP3 or M4A',
    415,
  ),
  NoAudioStream: createError('NO_AUDIO_STREAM', 'The file has no audio stream', 422),
  AudioTooLong: createError('AUDIO_TOO_LONG', 'The recording is %s s long; the limit is %d s', 422),
  AudioUndecodable: createError('AUDIO_UNDECODABLE', 'The audio could not be decoded', 422),
  SttUnavailable: createError(
    'STT_UNAVAILABLE',
    'No transcription engine is configured: set STT_ENGINE=openai with STT_OPENAI_URL, STT_ENGINE=gemini with GEMINI_API_KEY, or STT_ENGINE=whisper (see README, Settings)',
    503,
  ),
  SttBusy: createError('STT_BUSY', 'Too many transcriptions are running; retry in a few seconds', 503),
  SttFailed: createError('STT_FAILED', 'The transcription engine failed; try again later', 502),
  TtsUnavailable: createError(
    'TTS_UNAVAILABLE',
    'No speech engine is configured (TTS_ENGINE=none): set TTS_ENGINE to openai (with TTS_OPENAI_URL), gemini (with GEMINI_API_KEY) or espeak, or let the browser speak the text',
    503,
  ),
  CapabilitiesNotGenerated: createError(
    'CAPABILITIES_NOT_GENERATED',
    'No capability evaluation for this portfolio yet: POST …/capabilities/generate first',
    404,
  ),
  NoPortfolioText: createError(
    'NO_PORTFOLIO_TEXT',
    'The portfolio has no readable text to evaluate (a scanned PDF?); upload a PDF with text',
    422,
  ),
  InvalidUrl: createError('INVALID_URL', 'Only public web pages can be imported: not %s', 422),
  PageTooComplex: createError(
    'PAGE_TOO_COMPLEX',
    'The page took longer than %d s to read; paste the posting text instead',
    422,
  ),
  UrlNotAllowed: createError(
    'URL_NOT_ALLOWED',
    'That address is not a public web page (loopback, private, link-local and metadata addresses are refused)',
    422,
  ),
  TooManyRedirects: createError('TOO_MANY_REDIRECTS', 'The page redirected more than %d times', 422),
  CrawlFailed: createError('CRAWL_FAILED', 'The page could not be fetched: %s', 422),
  NotHtml: createError('NOT_HTML', 'The address does not serve an HTML page', 415),
  PageTooLarge: createError('PAGE_TOO_LARGE', 'The page is larger than %d MB', 413),
  NoPostingText: createError(
    'NO_POSTING_TEXT',
    'No posting text could be read from the page (is it drawn by JavaScript?)',
    422,
  ),
  TtsFailed: createError('TTS_FAILED', 'The speech engine failed; try again later', 502),
  InvalidFormField: createError(
    'INVALID_FORM_FIELD',
    'A form field sent as application/json is not valid JSON (or longer than %d bytes)',
    422,
  ),
  InvalidPdf: createError('INVALID_PDF', 'Failed to parse PDF: %s', 422),
  PdfTooManyPages: createError('PDF_TOO_MANY_PAGES', 'The PDF has %d pages, more than the limit of %d', 422),
  PdfTooSlow: createError('PDF_TOO_SLOW', 'Reading the PDF took longer than the limit of %d s', 422),
  PdfTooMuchText: createError('PDF_TOO_MUCH_TEXT', 'The PDF has more text than the limit of %d characters', 422),
  InvalidReference: createError('INVALID_REFERENCE', '%s', 422),
  InvalidText: createError('INVALID_TEXT', 'Text must not contain NUL characters', 422),
  JsonTooDeep: createError('JSON_TOO_DEEP', 'The JSON body is nested more than %d levels deep', 422),
  AnalysisFailed: createError('ANALYSIS_FAILED', 'Video analysis failed: %s', 422),
  VideoTooLong: createError('VIDEO_TOO_LONG', 'The video is %s s long; the limit is %d s', 422),
  VideoDeleted: createError('NOT_FOUND', 'The video was deleted before its analysis finished', 404),
  RangeNotSatisfiable: createError('RANGE_NOT_SATISFIABLE', 'The requested range is outside the file', 416),
  TooManyRequests: createError('RATE_LIMITED', 'Too many requests, retry in %s', 429),
  DatabaseUnavailable: createError('DATABASE_UNAVAILABLE', 'The database does not answer', 503),
  StorageUnavailable: createError('STORAGE_UNAVAILABLE', 'The data folder is not writable', 503),
  QueueUnavailable: createError(
    'QUEUE_UNAVAILABLE',
    'The analysis queue (Redis) does not answer; try again in a minute',
    503,
  ),
  ParsedSkillsTooLarge: createError('PARSED_SKILLS_TOO_LARGE', 'parsed_skills is too large: %s', 413),
  TooManyRecords: createError(
    'TOO_MANY_RECORDS',
    'You already keep %d %s, the most one account may; delete some first',
    409,
  ),
};

export const ErrorReply = Type.Object(
  {
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ loc: Type.String(), msg: Type.String() }))),
  },
  { $id: 'ErrorReply', description: 'Every error has this shape; `errors` lists validation failures.' },
);

/**
 * Fastify's and its plugins' own errors, as ours: a stable code of our catalogue and a message that
 * says what to send instead. Null leaves the error as it is.
 */
function ourVersionOf(error: FastifyError, request: FastifyRequest): FastifyError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Errors.BodyTooLarge(sizeInWords(request.routeOptions.bodyLimit));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new Errors.UnsupportedMedia(
        takesForm(request)
          ? 'Send this request as a form, with Content-Type: multipart/form-data'
          : 'Send the body as JSON, with Content-Type: application/json',
      );
    // Malformed JSON and JSON with a prototype-poisoning key end alike: Fastify's parser keeps no cause.
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new Errors.InvalidJson();
    // A path the file server will not look up (`/api//users/me`, a folder such as `/assets/`) is one
    // that does not exist, whatever the reason.
    case 'FST_STATIC_FORBIDDEN_PATH':
      return routeNotFound(request);
  }
  if (error.statusCode === 403 && !error.code) return routeNotFound(request);
  return null;
}

const takesForm = (request: FastifyRequest) =>
  (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes?.includes('multipart/form-data') ??
  false;

export const routeNotFound = (request: FastifyRequest) =>
  // The path only: a query may carry a credential, and a reply that echoes it ends up in logs and caches.
  new Errors.RouteNotFound(request.method, request.url.split('?')[0]!.slice(0, 200));

function sizeInWords(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return Number.isInteger(mb) ? `${mb} MB` : `${bytes} bytes`;
}

/** Codes for the 4xx of Fastify and its plugins that have no counterpart in the catalogue. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA',
};

export function registerErrorHandlers(app: FastifyInstance): void {
  refuseMalformedQueries(app);
  answerPreflightErrorsInOurShape(app);
  app.setErrorHandler((rawError: FastifyError, request, reply) => {
    if (rawError.validation) {
      const errors = rawError.validation.map((issue) => ({
        loc: [rawError.validationContext, issue.instancePath.replace(/^\//, '').replaceAll('/', '.')]
          .filter(Boolean)
          .join('.'),
        msg: issue.message ?? 'is invalid',
      }));
      const first = errors[0];
      return reply.status(422).send({
        detail: first ? `${first.loc}: ${first.msg}` : 'Invalid request',
        code: 'VALIDATION_ERROR',
        errors,
      });
    }
    if (isInvalidText(rawError)) {
      const invalid = new Errors.InvalidText();
      return reply.status(invalid.statusCode).send({ detail: invalid.message, code: invalid.code });
    }
    const error = ourVersionOf(rawError, request) ?? rawError;
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      // 502 and 503 are an outside service or a setting, said with our own message; any other 5xx is ours.
      const said = status === 503 || status === 502;
      return reply.status(status).send({
        detail: said ? error.message : 'Internal Server Error',
        code: said ? error.code : 'INTERNAL_ERROR',
      });
    }
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    const code = !error.code || error.code.startsWith('FST_') ? (CODE_BY_STATUS[status] ?? 'BAD_REQUEST') : error.code;
    return reply.status(status).send({ detail: error.message, code });
  });
}

/**
 * A query whose percent-encoding is broken (`%E`, or `%ED%95`, which is not UTF-8) is refused, as a
 * path is by the router: Fastify's parser would keep such a value raw, and store it as given.
 */
function refuseMalformedQueries(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const start = request.url.indexOf('?');
    if (start === -1) return;
    for (const part of request.url.slice(start + 1).split('&')) {
      if (!part.includes('%')) continue;
      try {
        decodeURIComponent(part);
      } catch {
        throw new Errors.BadQuery();
      }
    }
  });
}

/**
 * The CORS plugin answers an OPTIONS request that lacks the preflight's headers with a plain-text 400
 * of its own, outside the error handler; it gets our shape here.
 */
function answerPreflightErrorsInOurShape(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'OPTIONS' || reply.statusCode !== 400 || payload !== 'Invalid Preflight Request') {
      return payload;
    }
    const error = new Errors.InvalidPreflight();
    reply.type('application/json; charset=utf-8');
    return JSON.stringify({ detail: error.message, code: error.code });
  });
}

/** Errors the router raises before any route, hook or error handler applies (Fastify's `frameworkErrors`). */
export function sendFrameworkError(error: FastifyError, _request: unknown, reply: FastifyReply): void {
  const ours =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new Errors.UriTooLong()
      : error.code === 'FST_ERR_BAD_URL'
        ? new Errors.BadUrl()
        : null;
  if (ours) void reply.status(ours.statusCode!).send({ detail: ours.message, code: ours.code });
  else void reply.status(500).send({ detail: 'Internal Server Error', code: 'INTERNAL_ERROR' });
}

interface RawErrorReply {
  status: number;
  detail: string;
  code: string;
}
const CLIENT_ERRORS: Record<string, RawErrorReply> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request took too long to arrive', code: 'REQUEST_TIMEOUT' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request line or headers are too large', code: 'HEADERS_TOO_LARGE' },
};
const MALFORMED_REQUEST: RawErrorReply = { status: 400, detail: 'Malformed HTTP request', code: 'BAD_REQUEST' };

/**
 * Requests Node's HTTP parser refuses (request line or headers too large, a timeout, malformed HTTP)
 * never reach Fastify; they get our shape too, written on the socket as Fastify's default handler does.
 */
export function sendClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  replyOnSocketAndClose(socket, CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED_REQUEST, error);
}

/** Answers straight on the socket and closes it: for a request whose reading is given up before any reply began. */
export function replyOnSocketAndClose(socket: Socket, { status, detail, code }: RawErrorReply, cause?: Error): void {
  const body = JSON.stringify({ detail, code });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(cause);
}
