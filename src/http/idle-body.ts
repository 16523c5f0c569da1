// Request bodies that stop arriving are cut: 408 on the socket, the connection closed. Without this a
// body that stalls holds its connection until REQUEST_TIMEOUT_SEC (sized for a large video on a slow
// line: over an hour), and a few hundred such requests, no login needed, hold the server's sockets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Errors, replyOnSocketAndClose } from './errors.ts';

/** A body other than an upload is at most 2 MB and usually a few KB: it has this long to arrive whole. */
export const JSON_BODY_TIMEOUT_MS = 60_000;

export interface IdleCut {
  readonly cut: boolean;
  stop(): void;
}

/**
 * Watches the connection while a body is read: when nothing arrives for `idleMs` (or the body is not
 * whole after `totalMs`), answers 408 on the socket and closes it, which fails whoever reads the body.
 */
export function cutWhenIdle(request: FastifyRequest, idleMs: number, totalMs?: number): IdleCut {
  const { socket } = request.raw;
  const previousTimeout = socket.timeout ?? 0;
  let cut = false;
  let stopped = false;
  const cutWith = (error: InstanceType<typeof Errors.UploadStalled | typeof Errors.BodyTooSlow>) => {
    if (cut || stopped) return;
    cut = true;
    request.log.info({ code: error.code }, 'a request body stalled or crawled: the connection closed');
    // Refused unread (a 401, a 422), the body has had its answer: the rest of it is not wanted.
    if (replies.get(request.raw)?.headersSent) socket.destroy();
    else replyOnSocketAndClose(socket, { status: error.statusCode, detail: error.message, code: error.code });
  };
  const onIdle = () => cutWith(new Errors.UploadStalled(idleMs / 1000));
  // Node calls the request's listener only while the request has not been read whole.
  request.raw.setTimeout(idleMs, onIdle);
  const deadline =
    totalMs === undefined
      ? undefined
      : setTimeout(() => request.raw.complete || cutWith(new Errors.BodyTooSlow(totalMs / 1000)), totalMs);
  return {
    get cut() {
      return cut;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(deadline);
      request.raw.off('timeout', onIdle);
      socket.setTimeout(previousTimeout);
    },
  };
}

const watches = new WeakMap<IncomingMessage, IdleCut>();
const replies = new WeakMap<IncomingMessage, ServerResponse>();

/**
 * Every request body is watched from its first byte, whatever route it is for (one that refuses it
 * unread, a 401 say, included): idle for `idleMs`, or not whole after `totalMs`, and it is cut. A route
 * that reads a long upload takes over with `watchUpload`.
 */
export function cutStalledBodies(app: FastifyInstance, idleMs: number, totalMs = JSON_BODY_TIMEOUT_MS): void {
  app.addHook('onRequest', async (request, reply) => {
    const { headers } = request.raw;
    const hasBody = headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
    if (!hasBody || request.raw.complete) return;
    // A request made in the process (app.inject: the demo data, tests) has no connection to watch.
    if (typeof request.raw.setTimeout !== 'function') return;
    replies.set(request.raw, reply.raw);
    const idle = cutWhenIdle(request, idleMs, totalMs);
    watches.set(request.raw, idle);
    request.raw.once('end', () => idle.stop());
    request.raw.socket.once('close', () => idle.stop());
    reply.raw.once('finish', () => {
      if (request.raw.complete) return;
      // Answered before the body came whole (refused unread: a 401, a 422). Node now times the socket
      // by its keep-alive time, and the rest of the body is discarded as it arrives: cut it when it stalls.
      const stalled = setTimeout(() => request.raw.socket?.destroy(), idleMs);
      request.raw.on('data', () => stalled.refresh());
      request.raw.once('end', () => clearTimeout(stalled));
      request.raw.socket?.once('close', () => clearTimeout(stalled));
    });
  });
}

/** An upload may take as long as it keeps arriving (up to REQUEST_TIMEOUT_SEC): idle time only. */
export function watchUpload(request: FastifyRequest, idleMs: number): IdleCut {
  watches.get(request.raw)?.stop();
  return cutWhenIdle(request, idleMs);
}
