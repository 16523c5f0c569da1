// The watch on request bodies, on a bare Fastify server: a body that trickles in without ever stalling
// is still cut once its total time is up (the full app's total is a minute, too long for a test).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { cutStalledBodies } from '../../src/http/idle-body.ts';

test('a JSON body still trickling in at its total time is cut with 408; a quick one is read', async (t) => {
  const app = Fastify();
  cutStalledBodies(app, 10_000, 500);
  app.post('/echo', async (request) => request.body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(() => app.close());
  const { port } = app.server.address() as { port: number };

  const quick = await fetch(`http://127.0.0.1:${port}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"a":1}',
  });
  assert.deepEqual(await quick.json(), { a: 1 });

  const body = `{"text":"${'x'.repeat(100)}"}`;
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.write(
    `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  // A byte every 50 ms: never idle for 10 s, and the whole body would take about 5 s.
  for (let sent = 0; sent < body.length && !socket.destroyed && !received; sent++) {
    socket.write(body[sent]!);
    await sleep(50);
  }
  assert.match(received, /^HTTP\/1.1 408 /);
  assert.match(received, /"code":"BODY_TOO_SLOW"/);
});
