// The original service's own web client, replayed: the calls it makes in a user's journey (sign-up,
// onboarding with one of its 14 roles, portfolio, posting import, session, questions read aloud, answers
// transcribed and saved, follow-ups, the capability radar), as data — method, path, what it sends and
// the fields it reads — against our server, with the token it must send here. Outside engines are
// fake servers on loopback speaking the real wire formats.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ffmpeg, fixture, scratchDir } from '../analysis/media-helpers.ts';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { DIALECTS, startApp } from '../helpers.ts';

type Vars = Record<string, string>;
type Body = { json: unknown } | { emptyJson: true } | { form: (vars: Vars) => Promise<FormData> } | undefined;

interface ClientCall {
  what: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** `{name}` is filled from what earlier calls read. */
  path: string;
  body?: (vars: Vars) => Body;
  /** The fields the client reads; each must be present (not undefined). */
  reads: string[];
  /** Values kept for later calls: variable name → field. */
  keep?: Record<string, string>;
  public?: boolean;
}

const EMAIL = `original-client-${Date.now()}@example.com`;
const PASSWORD = 'client password 1';

async function portfolioPdf(): Promise<Blob> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage();
  const lines = [
    'Frontend developer portfolio',
    'Project: Shop dashboard service',
    'Built the dashboard with React and TypeScript.',
    'Improved rendering performance and cut load time by 40%.',
    'Presented the design system to the team and wrote its documentation.',
  ];
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 750 - i * 20, size: 12, font }));
  return new Blob([new Uint8Array(await pdf.save())], { type: 'application/pdf' });
}

function calls(files: { pdf: Blob; recording: Blob }, postingUrl: string): ClientCall[] {
  return [
    {
      what: 'sign up',
      method: 'POST',
      path: '/api/users/signup',
      body: () => ({ json: { email: EMAIL, password: PASSWORD, name: '김지원' } }),
      reads: ['id', 'email'],
      keep: { user_id: 'id' },
      public: true,
    },
    {
      what: 'log in',
      method: 'POST',
      path: '/api/users/login',
      body: () => ({ json: { email: EMAIL, password: PASSWORD } }),
      reads: ['access_token', 'token_type'],
      keep: { token: 'access_token' },
      public: true,
    },
    {
      what: 'onboarding: name and role (it sends jobTitle too)',
      method: 'PATCH',
      path: '/api/users/me',
      body: () => ({ json: { name: '김지원', jobTitle: 'ROLE_FE', role: 'ROLE_FE' } }),
      reads: ['name', 'role'],
    },
    { what: 'profile', method: 'GET', path: '/api/users/me', reads: ['id', 'name', 'role'] },
    {
      what: 'portfolio upload',
      method: 'POST',
      path: '/api/portfolios/upload',
      body: () => ({
        form: async () => {
          const form = new FormData();
          form.append('file', files.pdf, 'portfolio.pdf');
          return form;
        },
      }),
      reads: ['id', 'filename', 'parsed_text'],
      keep: { portfolio_id: 'id' },
    },
    {
      what: 'posting import',
      method: 'POST',
      path: '/api/job-postings/crawl?user_id={user_id}',
      body: () => ({ json: { url: postingUrl } }),
      reads: ['id', 'title', 'company_name'],
      keep: { job_posting_id: 'id' },
    },
    {
      what: 'open a session',
      method: 'POST',
      path: '/api/interviews/sessions',
      body: (vars) => ({ json: { job_posting_id: vars.job_posting_id, portfolio_id: vars.portfolio_id } }),
      reads: ['id', 'status'],
      keep: { session_id: 'id' },
    },
    {
      what: 'load its questions',
      method: 'GET',
      path: '/api/interviews/sessions/{session_id}/questions',
      reads: ['0.id', '0.text', '0.order'],
      keep: { question_id: '0.id' },
    },
    {
      what: 'question read aloud',
      method: 'GET',
      path: '/api/interviews/questions/{question_id}/tts',
      reads: ['question_id', 'audio_url', 'text'],
      keep: { audio_url: 'audio_url' },
    },
    {
      what: 'answer transcribed',
      method: 'POST',
      path: '/api/interviews/stt',
      body: () => ({
        form: async () => {
          const form = new FormData();
          form.append('audio', files.recording, 'answer.webm');
          return form;
        },
      }),
      reads: ['text', 'language'],
      keep: { answer_text: 'text' },
    },
    {
      what: 'answer saved',
      method: 'POST',
      path: '/api/interviews/questions/{question_id}/answers',
      body: (vars) => ({ json: { question_id: vars.question_id, text: vars.answer_text } }),
      reads: ['id', 'question_id', 'text'],
    },
    {
      what: 'follow-up (answer in the query, empty JSON body)',
      method: 'POST',
      path: '/api/interviews/questions/{question_id}/followup?answer_text={answer_text}',
      body: () => ({ emptyJson: true }),
      reads: ['id', 'text', 'parent_question_id'],
    },
    {
      what: 'capability radar: generate (empty JSON body)',
      method: 'POST',
      path: '/api/portfolios/{portfolio_id}/capabilities/generate',
      body: () => ({ emptyJson: true }),
      reads: ['portfolio_id', 'role', 'evaluations.0.score'],
    },
    {
      what: 'capability radar: read',
      method: 'GET',
      path: '/api/portfolios/{portfolio_id}/capabilities',
      reads: [
        'capabilities.5.skill',
        'capabilities.5.value',
        'capabilities.5.skill_ko',
        'improvement_suggestions.0.id',
        'improvement_suggestions.0.capability',
        'improvement_suggestions.0.capability_ko',
        'improvement_suggestions.0.currentScore',
        'improvement_suggestions.0.title',
        'improvement_suggestions.0.description',
        'improvement_suggestions.0.actionItems.0',
      ],
    },
    {
      what: 'finish the session',
      method: 'PATCH',
      path: '/api/interviews/sessions/{session_id}/complete',
      body: () => ({ emptyJson: true }),
      reads: ['status', 'completed_at'],
    },
  ];
}

const field = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((at, key) => (at == null ? undefined : (at as Record<string, unknown>)[key]), value);

for (const dialect of DIALECTS) {
  describe(`the original web client's journey (${dialect.name})`, { skip: dialect.skip }, () => {
    test('every call it makes succeeds with the fields it reads', async (t) => {
      const dir = await scratchDir(t);
      const webm = join(dir, 'answer.webm');
      await ffmpeg('-i', fixture('speech_en_jfk_11s.wav'), '-t', '4', '-c:a', 'libopus', webm);
      const mp3 = join(dir, 'speech.mp3');
      await ffmpeg('-i', fixture('speech_en_jfk_11s.wav'), '-t', '1', '-c:a', 'libmp3lame', mp3);
      const speech = await readFile(mp3);
      const engines = await fakeServer(t, (request, response) => {
        if (request.url === '/v1/audio/transcriptions')
          return sendJson(response, 200, {
            text: '저는 React로 대시보드를 만들며 로딩 시간을 40% 줄였습니다.',
            language: 'korean',
            segments: [{ start: 0, end: 4, text: '저는 React로 대시보드를 만들며 로딩 시간을 40% 줄였습니다.' }],
          });
        if (request.url === '/v1/audio/speech') {
          response.writeHead(200, { 'content-type': 'audio/mpeg' });
          return response.end(speech);
        }
        sendJson(response, 404, { error: 'unknown' });
      });
      const posting = await readFile(join('test', 'fixtures', 'documents', 'job_posting_ko.txt'), 'utf8');
      const site = await fakeServer(t, (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          `<html><head><title>Frontend Developer</title><meta property="og:site_name" content="Acme"></head>` +
            `<body><article>${posting
              .split('\n')
              .map((line) => `<p>${line}</p>`)
              .join('')}</article></body></html>`,
        );
      });
      const { api } = await startApp(t, dialect.name, {
        STT_ENGINE: 'openai',
        STT_OPENAI_URL: engines.url,
        TTS_ENGINE: 'openai',
        TTS_OPENAI_URL: engines.url,
        CRAWL_ALLOWED_HOSTS: new URL(site.url).host,
      });

      const vars: Vars = {};
      const fill = (path: string) =>
        path.replace(/\{(\w+)\}/g, (_, name: string) => {
          assert.ok(vars[name] !== undefined, `no value for {${name}} yet`);
          return encodeURIComponent(vars[name]!);
        });
      const files = { pdf: await portfolioPdf(), recording: new Blob([await readFile(webm)]) };
      for (const call of calls(files, `${site.url}/jobs/42`)) {
        const body = call.body?.(vars);
        const headers: Record<string, string> = {};
        let payload: BodyInit | undefined;
        if (body && 'json' in body) {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(body.json);
        } else if (body && 'emptyJson' in body) {
          headers['content-type'] = 'application/json';
          payload = '';
        } else if (body && 'form' in body) {
          payload = await body.form(vars);
        }
        const reply = await api.request(call.method, fill(call.path), {
          token: call.public ? undefined : vars.token,
          headers,
          body: payload,
        });
        assert.ok(reply.status >= 200 && reply.status < 300, `${call.what}: ${reply.status} ${reply.text}`);
        for (const read of call.reads) {
          assert.notEqual(
            field(reply.body, read),
            undefined,
            `${call.what}: no ${read} in ${reply.text.slice(0, 500)}`,
          );
        }
        for (const [name, read] of Object.entries(call.keep ?? {})) vars[name] = String(field(reply.body, read));
      }

      // What the client does with audio_url: plays it, without a header.
      const audio = await fetch(vars.audio_url!);
      assert.equal(audio.status, 200);
      assert.equal(audio.headers.get('content-type'), 'audio/mpeg');
      assert.ok(Buffer.from(await audio.arrayBuffer()).equals(speech));
      // The deliberate difference: without the token, the routes the original left open answer 401.
      const open = await api.request('GET', `/api/interviews/questions/${vars.question_id}/tts`);
      assert.equal(open.status, 401);
    });
  });
}
