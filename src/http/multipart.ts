// Every multipart form is read here: the whole form is consumed before anything is stored, the file
// goes to a temporary file, and every limit of the parser becomes one of our errors with the
// temporary file removed. The fields sent before the file are checked before any of it is written,
// and a form that stops arriving is cut.
import { PassThrough, pipeline } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { UploadStream } from '../storage.ts';
import { Errors } from './errors.ts';
import { watchUpload } from './idle-body.ts';
import { UUID } from './schemas.ts';
import { cleanFilename } from './text.ts';

/** The parser's limits (registered with the plugin in app.ts). Our forms hold one file and a few ids. */
export const MULTIPART_LIMITS = { files: 1, fields: 10, parts: 11, fieldSize: 1024 };
/** Checked here: busboy does not enforce its `fieldNameSize` limit in multipart forms. */
const MAX_FIELD_NAME_BYTES = 100;

/** Where an upload's file goes: a service that streams it to a temporary file, or removes that file. */
export interface FileSink {
  maxBytes: number;
  receive(upload: { userId: string; filename: string; stream: UploadStream }): Promise<string>;
  discard(tempPath: string): Promise<void>;
}

export interface ReceivedForm {
  fields: Record<string, string>;
  /** The file field, already in a temporary file that the caller keeps or discards. */
  file: { tempPath: string; filename: string };
}

export interface FormOptions {
  /** The field that carries the file: `file` unless said (a file under another name is skipped). */
  fileField?: string;
  /** Nothing of the form arriving for this long cuts it: 408, the connection closed. */
  idleTimeoutMs: number;
  /**
   * Called with the fields received so far when the file starts, before any byte of it is written;
   * what it throws refuses the form. Fields sent after the file are the caller's to check.
   */
  checkFields?: (fields: Record<string, string>) => Promise<void>;
}

/** Reads the whole form; on any failure nothing is left behind. */
export async function receiveForm(
  request: FastifyRequest,
  sink: FileSink,
  { idleTimeoutMs, checkFields, fileField = 'file' }: FormOptions,
): Promise<ReceivedForm> {
  const fields: Record<string, string> = {};
  let file: ReceivedForm['file'] | undefined;
  let stream: UploadStream | undefined;
  let fileCut = false;
  const idle = watchUpload(request, idleTimeoutMs);
  try {
    for await (const part of request.parts({ limits: { fileSize: sink.maxBytes } })) {
      if (part.type === 'field') {
        if (part.valueTruncated || Buffer.byteLength(part.fieldname) > MAX_FIELD_NAME_BYTES) {
          throw new Errors.FieldTooLarge(MULTIPART_LIMITS.fieldSize, MAX_FIELD_NAME_BYTES);
        }
        if (typeof part.value === 'string') fields[part.fieldname] = sameIdInLowerCase(part.fieldname, part.value);
      } else if (part.fieldname !== fileField || part.file.destroyed) {
        // A file under another name is skipped. A destroyed one is a file the parser gave up on (the
        // client went away, the form ended before its closing boundary, or a limit was hit and its
        // error comes next): piping it would wait forever.
        if (part.fieldname === fileField) fileCut = true;
        part.file.resume();
      } else {
        stream = readFromNow(part.file);
        await checkFields?.(fields);
        const filename = cleanFilename(part.filename);
        file = { tempPath: await sink.receive({ userId: request.user.id, filename, stream }), filename };
      }
    }
    // Read whole: what follows (probing, remuxing, parsing) may keep the socket quiet for long.
    idle.stop();
    if (!file && fileCut)
      throw request.raw.complete ? new Errors.MalformedForm(FORM_CUT_SHORT) : new Errors.UploadIncomplete();
    if (!file) throw fileField === 'file' ? new Errors.FileMissing() : new Errors.FieldMissing(fileField);
    return { fields, file };
  } catch (error) {
    // The rest of the body is read and dropped: left unread, it would hold the connection open forever
    // (Node dumps an unread body only if no one has started reading it).
    request.raw.unpipe();
    request.raw.resume();
    stream?.destroy();
    if (file) await sink.discard(file.tempPath);
    // The client has had its 408 and the connection is closed; the parser's error only echoes that.
    if (idle.cut) throw new Errors.UploadStalled(idleTimeoutMs / 1000);
    // The connection closed before the form came whole: the client left, or Node cut the request at
    // REQUEST_TIMEOUT_SEC with a 408 of its own. Not a failure of ours, and no one is left to answer.
    if (!request.raw.complete && request.raw.socket.destroyed) throw new Errors.UploadIncomplete();
    // The body came whole but the form inside it stopped short of its closing boundary: the file part
    // was cut (the copy's premature close) or the parser said so.
    if (request.raw.complete && isPrematureClose(error)) throw new Errors.MalformedForm(FORM_CUT_SHORT);
    throw ourError(error, sink.maxBytes);
  }
}

/** Ids are stored in lower case; one written in upper case is the same id (as in the JSON routes). */
function sameIdInLowerCase(name: string, value: string): string {
  return name.endsWith('_id') && UUID.test(value) ? value.toLowerCase() : value;
}

/**
 * The file part as a stream that cannot hang: when the form ends before its closing boundary, the
 * plugin destroys the part without an error, and a stream destroyed before anyone reads it leaves a
 * pipeline started later waiting forever (with the temporary file open). Piped on at once, that early
 * end becomes an error ("premature close") of the copy, which fails whoever reads it.
 */
function readFromNow(file: UploadStream): UploadStream {
  const copy = new PassThrough();
  pipeline(file, copy, () => {});
  // Its reader gets the error from the stream's state; a copy no one reads (a refused form) must not
  // raise it as an uncaught 'error' event.
  copy.on('error', () => {});
  // The size limit is the parser's: it marks the part it cut.
  Object.defineProperty(copy, 'truncated', { get: () => file.truncated });
  return copy;
}

const FORM_CUT_SHORT = 'it ends before its closing boundary; send the whole form';

const isPrematureClose = (error: unknown) => (error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE';

/** The parser's own errors, in our shape with the limit that was hit. */
function ourError(error: unknown, maxBytes: number): unknown {
  // busboy's own errors carry only a message.
  const message = (error as { message?: unknown }).message;
  if (message === 'Multipart: Boundary not found') {
    return new Errors.MalformedForm('its Content-Type has no boundary (multipart/form-data; boundary=…)');
  }
  if (typeof message === 'string' && /unexpected end of multipart data/i.test(message)) {
    return new Errors.MalformedForm(FORM_CUT_SHORT);
  }
  switch ((error as { code?: unknown }).code) {
    // One code for the three counts: a form that breaks one usually breaks another, and which of them
    // the parser reports first depends on how the body arrived in packets.
    case 'FST_FIELDS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new Errors.TooManyParts(MULTIPART_LIMITS.fields, MULTIPART_LIMITS.files);
    case 'FST_REQ_FILE_TOO_LARGE':
      return new Errors.FileTooLarge(maxBytes / 1024 / 1024);
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new Errors.InvalidFormField(MULTIPART_LIMITS.fieldSize);
    default:
      return error;
  }
}
