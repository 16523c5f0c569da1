// Sends a stored file (a video, a question's speech) with HTTP range support, as media players need it:
// Safari's <video> and <audio> ask for byte ranges before they play.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ByteRange } from '../storage.ts';
import { Errors } from './errors.ts';

export interface SendableFile {
  size: number;
  contentType: string;
  read(range?: ByteRange): Promise<Readable>;
}

/** One `first-last`, `first-` or `-suffix` byte range (RFC 9110 §14.1.2). */
const BYTE_RANGE_SPEC = /^(\d*)-(\d*)$/;

/**
 * What to send for a Range header: the whole file (null), one range, or 'unsatisfiable' for a valid
 * range that starts past the end (416). As RFC 9110 §14.2 allows, a header we do not understand (another unit, a
 * malformed or invalid spec) is ignored, and so is a request for several ranges: the whole file is
 * sent, which every player accepts.
 */
function requestedRange(header: string, size: number): ByteRange | 'unsatisfiable' | null {
  const equals = header.indexOf('=');
  if (equals < 0 || header.slice(0, equals).trim().toLowerCase() !== 'bytes') return null;
  const specs = header
    .slice(equals + 1)
    .split(',')
    .map((spec) => spec.trim())
    .filter(Boolean);
  if (specs.length !== 1) return null;
  const [, first = '', last = ''] = BYTE_RANGE_SPEC.exec(specs[0]!) ?? [];
  if (!first && !last) return null; // no spec, or "-" alone
  if (first && last && Number(last) < Number(first)) return null; // invalid (§14.1.1)
  const start = first ? Number(first) : Math.max(0, size - Number(last));
  const end = first && last ? Math.min(Number(last), size - 1) : size - 1;
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}

export async function sendStoredFile(request: FastifyRequest, reply: FastifyReply, file: SendableFile) {
  const { size } = file;
  reply.header('accept-ranges', 'bytes').type(file.contentType);
  // HEAD gets the headers alone: Fastify would otherwise read the whole file (download it, from a
  // bucket) only to drop it.
  const body = (range?: ByteRange) => (request.method === 'HEAD' ? Readable.from([]) : file.read(range));
  const asked = request.headers.range;
  const range = asked ? requestedRange(asked, size) : null;
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${size}`);
    throw new Errors.RangeNotSatisfiable();
  }
  if (!range) return reply.header('content-length', size).send(await body());
  return reply
    .status(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
    .header('content-length', range.end - range.start + 1)
    .send(await body(range));
}
