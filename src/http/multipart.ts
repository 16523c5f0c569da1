// Every multipart form is read here: the whole form is consumed before anything is stored, the file
// goes to a temporary file, and every limit of the parser becomes one of our errors with the
// temporary file removed.
import type { FastifyRequest } from 'fastify';
import type { UploadStream } from '../storage.ts';
import { Errors } from './errors.ts';
import { cleanFilename } from './text.ts';

/** The parser's limits (registered with the plugin in app.ts). Our forms hold one file and a few ids. */
export const MULTIPART_LIMITS = { files: 1, fields: 10, parts: 11, fieldSize: 1024 };
/** Checked here: busboy does not enforce its `fieldNameSize` limit in multipart forms. */
const MAX_FIELD_NAME_BYTES = 100;

/** Where an upload's file goes: a service that streams it to a temporary file, or removes that file. */
export interface FileSink {
  maxBytes: number;
  receive(upload: { filename: string; stream: UploadStream }): Promise<string>;
  discard(tempPath: string): Promise<void>;
}

export interface ReceivedForm {
  fields: Record<string, string>;
  /** The multipart field `file`, already in a temporary file that the caller keeps or discards. */
  file: { tempPath: string; filename: string };
}

/** Reads the whole form; on any failure nothing is left behind. */
export async function receiveForm(request: FastifyRequest, sink: FileSink): Promise<ReceivedForm> {
  const fields: Record<string, string> = {};
  let file: ReceivedForm['file'] | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: sink.maxBytes } })) {
      if (part.type === 'field') {
        if (part.valueTruncated || Buffer.byteLength(part.fieldname) > MAX_FIELD_NAME_BYTES) {
          throw new Errors.FieldTooLarge(MULTIPART_LIMITS.fieldSize, MAX_FIELD_NAME_BYTES);
        }
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      } else if (part.fieldname !== 'file' || part.file.destroyed) {
        // A file under another name is skipped. A destroyed one is a file the parser gave up on (the
        // client went away, or a limit was hit and its error comes next): piping it would wait forever.
        part.file.resume();
      } else {
        const filename = cleanFilename(part.filename);
        file = { tempPath: await sink.receive({ filename, stream: part.file }), filename };
      }
    }
    if (!file) throw new Errors.FileMissing();
    return { fields, file };
  } catch (error) {
    // The rest of the body is read and dropped: left unread, it would hold the connection open forever
    // (Node dumps an unread body only if no one has started reading it).
    request.raw.unpipe();
    request.raw.resume();
    if (file) await sink.discard(file.tempPath);
    throw ourError(error, sink.maxBytes);
  }
}

/** The parser's own errors, in our shape with the limit that was hit. */
function ourError(error: unknown, maxBytes: number): unknown {
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
