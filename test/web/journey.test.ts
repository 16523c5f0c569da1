// The web app in a real browser: the whole journey of a candidate, from sign-up to reviewing a
// recorded answer, plus the messages a person sees when something is refused.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../src/cli/build-web.ts';
import { TALKING_MALE } from '../analysis/media-helpers.ts';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { signUp, startApp, uploadAnswerVideo, type TestApp, type TestUser } from '../helpers.ts';
import { chromiumMissing, fakeDeviceFiles, launch, newContext } from './browser.ts';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

// What the fake transcription server hears in every answer: two sentences, each opening with a filler.
const WORDS: Array<[string, number, number]> = [
  ['Um,', 0.3, 0.6],
  ['I', 0.7, 0.8],
  ['have', 0.9, 1.1],
  ['built', 1.2, 1.5],
  ['Java', 1.6, 1.9],
  ['services.', 2.0, 2.4],
  ['Uh,', 3.0, 3.3],
  ['and', 3.4, 3.5],
  ['I', 3.6, 3.7],
  ['led', 3.8, 4.0],
  ['a', 4.1, 4.2],
  ['team.', 4.3, 4.8],
];
const SEGMENTS = [
  { start: 0.3, end: 2.4, text: ' Um, I have built Java services.' },
  { start: 3.0, end: 4.8, text: ' Uh, and I led a team.' },
];

// The analysis stages as the English page names them (but the last, "Analysis done").
const STAGES = ['Checking the video', 'Analysing your face', 'Analysing your speech', 'Putting the results together'];

async function portfolioPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Backend developer. Java, Spring Boot, Redis, Kafka. Led a team of four.', {
    x: 40,
    y: 700,
    size: 11,
    font,
  });
  return doc.save();
}

describe('web app in Chromium', { skip: chromiumMissing }, () => {
  let dir: string;
  let app: TestApp;
  let browser: Browser;
  let devices: { video: string; audio: string };
  // The app and the fake server live for the whole suite; they are closed after it.
  const cleanups: Array<() => unknown> = [];
  const suiteScope = { after: (cleanup: () => unknown) => void cleanups.push(cleanup) };
  // The fake transcription server answers once this is settled: a test holds it back to keep an
  // analysis running (it cannot end without its transcript) until the page has shown its progress.
  let transcriptHeld: Promise<void> = Promise.resolve();
  async function holdingTranscripts<T>(body: () => Promise<T>): Promise<T> {
    let release = () => {};
    transcriptHeld = new Promise((resolve) => (release = resolve));
    try {
      return await body();
    } finally {
      release();
    }
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ip-web-'));
    await ensureWebBuilt();
    devices = fakeDeviceFiles(dir);
    const stt = await fakeServer(suiteScope, async (_request, response) => {
      await transcriptHeld;
      sendJson(response, 200, {
        task: 'transcribe',
        language: 'english',
        duration: 6,
        text: SEGMENTS.map((segment) => segment.text).join(''),
        segments: SEGMENTS.map((segment, id) => ({ id, seek: 0, tokens: [], temperature: 0, ...segment })),
        words: WORDS.map(([word, start, end]) => ({ word, start, end })),
      });
    });
    app = await startApp(suiteScope as unknown as Parameters<typeof startApp>[0], 'sqlite', {
      STT_ENGINE: 'openai',
      STT_OPENAI_URL: `${stt.url}/v1`,
      STT_LANGUAGE: 'en',
    });
    browser = await launch({ devices });
  });
  after(async () => {
    await browser?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  async function signUpInPage(page: Page, lang: 'ko' | 'en'): Promise<void> {
    const names =
      lang === 'en'
        ? { signUp: 'Sign up', name: 'Name', email: 'Email', password: 'Password' }
        : { signUp: '회원가입', name: '이름', email: '이메일', password: '비밀번호' };
    await page.goto(`${app.api.baseUrl}/?lang=${lang}`);
    await page.getByRole('button', { name: names.signUp }).click();
    // Each box is named by its label alone: the password's hint describes the box, it is not its name.
    const box = (name: string) => page.getByRole('textbox', { name, exact: true });
    await box(names.name).fill(lang === 'en' ? 'Alex Kim' : '김지원');
    await box(names.email).fill(`web-${lang}-${Date.now()}@example.com`);
    const password = box(names.password);
    const hint = await password.evaluate(
      (input) => document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent,
    );
    assert.equal(hint, lang === 'en' ? 'At least 8 characters' : '8자 이상');
    await password.fill('correct horse battery');
    await page.getByRole('button', { name: names.signUp }).click();
  }

  /** Signed up in the page (English), a new practice with generated questions, its first one's recorder open. */
  async function openRecorderOfNewPractice(page: Page): Promise<void> {
    await signUpInPage(page, 'en');
    await page.getByRole('link', { name: 'Start a new practice' }).click();
    await page.getByRole('button', { name: 'Create questions and start' }).click();
    await page
      .getByRole('link', { name: /^Record an answer/ })
      .first()
      .click();
  }

  /** A page logged in as a user made through the API, in English, opened at `path`. */
  async function pageAs(
    user: TestUser,
    path: string,
  ): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
    const context = await newContext(browser);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${app.api.baseUrl}/?lang=en`);
    await page.evaluate((token) => localStorage.setItem('interview-practice.token', token), user.token);
    await page.goto(`${app.api.baseUrl}${path}`);
    return { context, page, pageErrors };
  }

  test('the whole journey: sign up → documents → session → record → progress → review, in English', async () => {
    const context = await newContext(browser);
    await context.addInitScript(recordAnnouncements);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await signUpInPage(page, 'en');
    await page.getByRole('link', { name: 'Start a new practice' }).waitFor();

    // Documents: a portfolio PDF through the file picker, a posting from pasted text.
    await page.getByRole('link', { name: 'Documents' }).click();
    const pdf = join(dir, 'portfolio.pdf');
    await writeFile(pdf, await portfolioPdf());
    await page.getByLabel('Choose a PDF').setInputFiles(pdf);
    await page.getByText('portfolio.pdf').waitFor();
    await page.getByLabel('Company').fill('Acme');
    await page.getByLabel('Role').fill('Backend engineer');
    await page
      .getByLabel('Posting text (paste it)')
      .fill('We use Java, Spring Boot and Kafka. Experience with Redis is a plus.');
    await page.getByRole('button', { name: 'Add posting' }).click();
    await page.getByText('Backend engineer').waitFor();

    // A new session: generated questions appear, and one of our own.
    await page.getByRole('link', { name: 'Practice', exact: true }).click();
    await page.getByRole('link', { name: 'Start a new practice' }).click();
    await page.getByLabel('Title').fill('Acme first round');
    await page.getByRole('button', { name: 'Create questions and start' }).click();
    await page.getByRole('heading', { name: 'Questions' }).waitFor();
    const generated = await page.locator('.question').count();
    assert.ok(generated >= 3, `expected generated questions, saw ${generated}`);
    await page.getByLabel('Add your own question').fill('Tell me about a hard bug you fixed.');
    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByText('Tell me about a hard bug you fixed.').waitFor();
    assert.equal(await page.locator('.question').count(), generated + 1);

    // Record about 6 s from the fake camera, then submit.
    await page
      .getByRole('link', { name: /^Record an answer/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.getByRole('button', { name: 'Stop recording' }).waitFor({ timeout: 10_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await maybeScreenshot(page, 'recording-en.png');
    await page.waitForTimeout(6_000);
    await page.getByRole('button', { name: 'Stop recording' }).click();

    // Progress, then the review. The transcript is held back until the page has shown how far the
    // analysis is (a stage and a percentage), so a quick analysis cannot end before that was seen.
    await holdingTranscripts(async () => {
      await page.getByRole('button', { name: 'Submit answer' }).click();
      await page.waitForURL(/\/videos\/[0-9a-f-]{36}$/, { timeout: 60_000 });
      await page.waitForFunction(
        () => (document.querySelector<HTMLProgressElement>('.job-progress progress')?.value ?? 0) > 0,
        undefined,
        { timeout: 60_000 },
      );
      const progress = page.locator('.job-progress');
      // The stage alone (it says "Analysing" itself), and that the page may be left.
      const stage = (await progress.locator('.stage-name').textContent())!;
      assert.ok(
        STAGES.some((name) => stage === name),
        stage,
      );
      await progress.getByText('You can leave this page; the analysis goes on.').waitFor();
      assert.match((await progress.locator('.tabular').textContent())!, /^[1-9]\d*%$/);
    });
    const videoId = page.url().split('/').pop()!;
    await page.getByRole('region', { name: 'Transcript' }).waitFor({ timeout: 120_000 });
    // Screen readers heard the stages and then the end, through the live region.
    await page.waitForFunction(() =>
      (window as unknown as { announced: string[] }).announced.includes('The analysis is done.'),
    );
    const announced = await page.evaluate(() => (window as unknown as { announced: string[] }).announced);
    assert.ok(
      announced.some((text) => STAGES.includes(text)),
      `announced: ${announced.join(' | ')}`,
    );

    const token = await page.evaluate(() => localStorage.getItem('interview-practice.token'));
    const results = await app.api.get(`/api/video/results/${videoId}`, token!);
    assert.equal(results.status, 200);
    assert.equal(results.body.analysis.status, 'succeeded');
    const frames = results.body.timeline.length;
    assert.ok(frames >= 20, `a 6 s answer at 5 fps has about 30 frames, got ${frames}`);

    // The stored video is the browser's WebM made seekable: it has a duration the player can use.
    const video = await app.api.get(`/api/interviews/videos/${videoId}`, token!);
    assert.match(video.body.video_url, /\.webm$/);
    assert.ok(video.body.duration_sec > 4 && video.body.duration_sec < 10, `duration ${video.body.duration_sec}`);

    const timeline = page.getByRole('region', { name: 'Timeline' });
    assert.equal(Number(await timeline.locator('canvas').getAttribute('data-frames')), frames);
    await page.getByRole('region', { name: 'Feedback' }).getByRole('listitem').first().waitFor();
    const transcript = page.getByRole('region', { name: 'Transcript' });
    assert.deepEqual(await transcript.locator('mark').allTextContents(), ['Um,', 'Uh,']);

    const player = page.locator('video[aria-label="Answer video"]');
    await page.waitForFunction(() => {
      const element = document.querySelector<HTMLVideoElement>('video[aria-label="Answer video"]');
      return element !== null && element.readyState >= 1 && Number.isFinite(element.duration);
    });
    await transcript.getByRole('button', { name: /^Play from 0:03$/ }).click();
    await page.waitForFunction(() => {
      const element = document.querySelector<HTMLVideoElement>('video[aria-label="Answer video"]')!;
      return !element.seeking && element.currentTime >= 3;
    });
    const at = await player.evaluate((element: HTMLVideoElement) => element.currentTime);
    assert.ok(at >= 3.0 && at < 4.5, `the player moved to the segment's start (3.0 s), at ${at}`);

    // Clicking the timeline seeks too: a quarter of the way along.
    await player.evaluate((element: HTMLVideoElement) => element.pause());
    const box = (await timeline.getByRole('slider').boundingBox())!;
    await page.mouse.click(box.x + box.width / 4, box.y + box.height / 2);
    const duration = await player.evaluate((element: HTMLVideoElement) => element.duration);
    const seeked = await player.evaluate((element: HTMLVideoElement) => element.currentTime);
    assert.ok(Math.abs(seeked - duration / 4) < 0.5, `timeline click → ${seeked}, expected about ${duration / 4}`);

    await maybeScreenshot(page, 'review-en.png', { fullPage: true });

    // The same review in Korean on a phone: the blocks stack, the cards keep their words.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: '답변 결과' }).waitFor();
    await page.getByRole('region', { name: '타임라인' }).waitFor();
    await page.getByRole('region', { name: '답변 스크립트' }).waitFor();
    await page.getByRole('heading', { name: '답변 스크립트' }).waitFor();
    await page.getByRole('region', { name: '피드백' }).waitFor();
    // Analysed from the English page, the rules' feedback is read again in Korean.
    await page.waitForFunction(() => {
      const titles = [...document.querySelectorAll('.area-feedback li strong')].map((title) => title.textContent ?? '');
      // Korean titles, the topic alone: the group heading says whether it is a strength.
      return (
        titles.length > 0 && titles.every((title) => /[가-힣]/.test(title) && !/^(강점|개선 필요|제안): /.test(title))
      );
    });
    // A few lines first; the rest behind one toggle that says whether it is open.
    const more = page.getByRole('button', { name: /^더 보기/ });
    if (await more.count()) {
      const before = await page.locator('.area-feedback li').count();
      assert.equal(await more.getAttribute('aria-expanded'), 'false');
      await more.click();
      const fewer = page.getByRole('button', { name: '접기' });
      assert.equal(await fewer.getAttribute('aria-expanded'), 'true');
      assert.ok((await page.locator('.area-feedback li').count()) > before);
      await fewer.click();
    }
    assert.equal(await page.locator('.feedback-lang-note').count(), 0);
    assert.ok((await page.locator('.metric-state').allTextContents()).some((text) => /좋음|주의|연습 필요/.test(text)));
    await maybeScreenshot(page, 'review-ko-phone.png', { fullPage: true });

    // Home: the session's line says what its analysed answers came to.
    await page.getByRole('link', { name: '연습 목록' }).click();
    await page.getByText('답변 1개 · 분석 완료 1개').waitFor();
    const eyeContact = `${Math.round(results.body.metrics.center_gaze_ratio * 100)}%`;
    await page.getByText(`평균 시선 맞춤 ${eyeContact}`).waitFor();
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('Korean by default, with Hangul drawn in the bundled Korean font; also on a phone', async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${app.api.baseUrl}/`);
    await page.getByRole('heading', { name: '로그인' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
    const koreanFontLoaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].some(
        (face) => face.family.replaceAll('"', '') === 'Noto Sans KR' && face.status === 'loaded',
      );
    });
    assert.ok(koreanFontLoaded, 'a Noto Sans KR face was loaded for the Hangul on the page');
    await signUpInPage(page, 'ko');
    await page.getByRole('link', { name: '새 연습 시작' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Start a new practice' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Start a new practice' }).waitFor();
    await context.close();
  });

  test('a refused upload shows the server’s message; another user’s review is “not found”', async () => {
    const other = await signUp(app.api);
    const session = await app.api.post('/api/interviews/sessions', { generate_questions: false }, other.token);
    const question = await app.api.post(
      `/api/interviews/sessions/${session.body.id}/questions`,
      { text: 'Why us?' },
      other.token,
    );
    const form = new FormData();
    form.append('session_id', session.body.id);
    form.append('question_id', question.body.id);
    form.append(
      'file',
      new Blob([
        await import('node:fs/promises').then((fs) =>
          fs.readFile(join(import.meta.dirname, '..', 'fixtures', 'video_talking_male_en_5s.mp4')),
        ),
      ]),
      'a.mp4',
    );
    const uploaded = await app.api.request('POST', '/api/video/upload', { body: form, token: other.token });
    assert.equal(uploaded.status, 200, uploaded.text);

    const context = await newContext(browser);
    const page = await context.newPage();
    await signUpInPage(page, 'en');
    await page.getByRole('link', { name: 'Start a new practice' }).waitFor();

    await page.getByRole('link', { name: 'Documents' }).click();
    const notPdf = join(dir, 'notes.pdf');
    await writeFile(notPdf, 'just some text, not a PDF');
    await page.getByLabel('Choose a PDF').setInputFiles(notPdf);
    await page.getByRole('alert').filter({ hasText: 'Only PDF files are allowed' }).waitFor();
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByLabel('PDF 선택').setInputFiles(notPdf);
    // In Korean the server's English detail is left out: it names no limit.
    await page.getByRole('alert').filter({ hasText: '올릴 수 없는 파일입니다' }).waitFor();
    assert.equal(await page.getByRole('alert').textContent(), '올릴 수 없는 파일입니다.');
    await page.getByRole('button', { name: 'English' }).click();

    await page.goto(`${app.api.baseUrl}/videos/${uploaded.body.video_id}`);
    await page.getByRole('heading', { name: 'Not found. Please check the address.' }).waitFor();
    await context.close();
  });

  test('a denied camera shows what to do', async () => {
    const denying = await launch({ denyCamera: true });
    try {
      const context = await newContext(denying);
      const page = await context.newPage();
      await openRecorderOfNewPractice(page);
      await page.getByRole('alert').filter({ hasText: 'Camera and microphone access was denied' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Start recording' }).isDisabled(), true);
    } finally {
      await denying.close();
    }
  });

  test('the recorder: closing mid-countdown records nothing; an unsent take asks before it is left', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await openRecorderOfNewPractice(page);
    const recordAddress = page.url();

    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('heading', { name: 'Questions' }).waitFor();
    await page.waitForTimeout(3_500); // past the end of the countdown
    assert.deepEqual(pageErrors, [], 'nothing started recording for the closed recorder');

    await page.goto(recordAddress);
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.getByRole('button', { name: 'Stop recording' }).click({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Submit answer' }).waitFor();
    const questions: string[] = [];
    page.on('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('link', { name: 'Documents' }).click();
    await page.evaluate(() => history.back());
    await page.waitForFunction(() => document.readyState === 'complete');
    await page.waitForTimeout(300);
    assert.equal(questions.length, 3, `asked on Close, on a link and on Back: ${questions.join(' | ')}`);
    assert.match(questions[0]!, /not submitted/);
    assert.equal(page.url(), recordAddress);
    await page.getByRole('button', { name: 'Submit answer' }).waitFor();
    await context.close();
  });

  test('cancelling an upload stops it, and nothing is stored', async () => {
    const user = await signUp(app.api);
    const session = await app.api.post('/api/interviews/sessions', { generate_questions: false }, user.token);
    const question = await app.api.post(
      `/api/interviews/sessions/${session.body.id}/questions`,
      { text: 'Why us?' },
      user.token,
    );
    const { context, page, pageErrors } = await pageAs(user, `/sessions/${session.body.id}/record/${question.body.id}`);
    // The upload is held in the browser for 2 s before it may go on to the server: time to press Cancel.
    const held: Array<Promise<void>> = [];
    await page.route('**/api/video/upload', (route) => {
      held.push(new Promise<void>((resolve) => setTimeout(resolve, 2_000)).then(() => route.continue()));
    });
    const failed: string[] = [];
    // Requests to the server only: the player reading the chosen file's blob may be cut off by the
    // page's own changes, which is no request of ours.
    page.on('requestfailed', (request) => {
      if (!request.url().startsWith('blob:'))
        failed.push(`${new URL(request.url()).pathname} ${request.failure()?.errorText}`);
    });

    await page.getByLabel('Choose a video file').setInputFiles(TALKING_MALE);
    await page.getByRole('button', { name: 'Submit answer' }).click();
    await page.getByText(/^Uploading your video \d+%$/).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').filter({ hasText: 'Upload cancelled.' }).waitFor();
    await page.getByRole('button', { name: 'Submit answer' }).waitFor();
    // The browser dropped the request, so it was not sent on once the hold was over.
    assert.deepEqual(failed, ['/api/video/upload net::ERR_ABORTED']);
    assert.equal(held.length, 1);
    await Promise.all(held);
    const videos = await app.api.get(`/api/interviews/sessions/${session.body.id}/videos`, user.token);
    assert.equal(videos.status, 200);
    assert.deepEqual(videos.body, []);
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('the review’s actions: a follow-up question, analysing again, deleting the answer', async () => {
    const user = await signUp(app.api);
    const { video_id: videoId } = (await uploadAnswerVideo(app.api, user)).body;
    const analysed = await app.api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
    assert.equal(analysed.status, 200, analysed.text);
    const video = (await app.api.get(`/api/interviews/videos/${videoId}`, user.token)).body;
    const firstJob = (await app.api.get(`/api/video/results/${videoId}`, user.token)).body.analysis;
    const questionsOf = async () =>
      (await app.api.get(`/api/interviews/sessions/${video.session_id}/questions`, user.token)).body as Array<{
        id: string;
        type: string;
        text: string;
        parent_question_id: string | null;
      }>;
    const { context, page, pageErrors } = await pageAs(user, `/videos/${videoId}`);
    await page.getByRole('region', { name: 'Transcript' }).waitFor();

    // A follow-up: a new question of the session, on the one answered, with a link to record its answer.
    const before = await questionsOf();
    await page.getByRole('button', { name: 'Ask a follow-up question' }).click();
    const added = page.getByRole('status').filter({ hasText: 'Follow-up question added:' });
    await added.waitFor();
    const questions = await questionsOf();
    assert.equal(questions.length, before.length + 1);
    const followUp = questions.find((question) => !before.some(({ id }) => id === question.id))!;
    assert.equal(followUp.type, 'followup');
    assert.equal(followUp.parent_question_id, video.question_id);
    const addedText = (await added.textContent())!;
    assert.ok(addedText.includes(followUp.text), addedText);
    assert.equal(
      await added.getByRole('link', { name: 'Record an answer' }).getAttribute('href'),
      `/sessions/${video.session_id}/record/${followUp.id}`,
    );

    // Analysing again: a new job, its progress (held until seen), then the review once more.
    await holdingTranscripts(async () => {
      await page.getByRole('button', { name: 'Analyse again' }).click();
      await page.getByRole('progressbar', { name: 'Analysing' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Analyse again' }).isDisabled(), true);
    });
    await page.getByRole('progressbar', { name: 'Analysing' }).waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByRole('region', { name: 'Transcript' }).waitFor();
    const secondJob = (await app.api.get(`/api/video/results/${videoId}`, user.token)).body.analysis;
    assert.notEqual(secondJob.job_id, firstJob.job_id);
    assert.equal(secondJob.status, 'succeeded');

    // Deleting asks first: declined, the answer stays; accepted, it is gone and the practice is shown.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Delete answer' }).click();
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /^Delete “Answer of .+”\? This cannot be undone\.$/);
    assert.equal((await app.api.get(`/api/interviews/videos/${videoId}`, user.token)).status, 200);
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Delete answer' }).click();
    await page.waitForURL(`${app.api.baseUrl}/sessions/${video.session_id}`);
    await page.getByRole('heading', { name: 'Questions' }).waitFor();
    assert.equal(asked.length, 2);
    assert.equal(await page.getByRole('link', { name: /^Attempt \d+ · / }).count(), 0);
    assert.equal((await app.api.get(`/api/interviews/videos/${videoId}`, user.token)).status, 404);
    assert.equal((await app.api.get(`/api/video/results/${videoId}`, user.token)).status, 404);
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('a lost connection while analysing: polling when the event stream fails, failed polls retried, then a retry', async () => {
    const user = await signUp(app.api);
    const { video_id: videoId } = (await uploadAnswerVideo(app.api, user)).body;
    const { context, page, pageErrors } = await pageAs(user, `/videos/${videoId}`);
    await page.getByText('This answer has not been analysed yet.').waitFor();

    // The job's event stream never connects; its polls fail as long as `failingPolls` says.
    const asked = { events: 0, polls: 0 };
    let failingPolls = Infinity;
    await page.route('**/api/video/jobs/*/events', (route) => {
      asked.events += 1;
      return route.abort('connectionfailed');
    });
    await page.route(/\/api\/video\/jobs\/[^/]+$/, (route) => {
      asked.polls += 1;
      if (failingPolls <= 0) return route.continue();
      failingPolls -= 1;
      return route.abort('connectionfailed');
    });

    // Offline: the stream is tried 4 times, then the job is polled (once, and 3 more times after
    // longer and longer waits) before the page says it lost track, with a button to try again.
    await page.getByRole('button', { name: 'Analyse', exact: true }).click();
    const lost = page.getByRole('alert').filter({ hasText: 'The progress of the analysis could not be fetched.' });
    await lost.waitFor({ timeout: 30_000 });
    assert.match((await lost.textContent())!, /Cannot reach the server/);
    assert.deepEqual(asked, { events: 4, polls: 4 });

    // Back online but for the stream, and one more poll fails: trying again follows the job by
    // polling, past the failed poll, to the review.
    failingPolls = 1;
    await lost.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('region', { name: 'Transcript' }).waitFor({ timeout: 60_000 });
    assert.equal(asked.events, 8);
    assert.ok(asked.polls >= 6, `polls: ${asked.polls}`);
    assert.equal(await lost.count(), 0);
    const results = await app.api.get(`/api/video/results/${videoId}`, user.token);
    assert.equal(results.body.analysis.status, 'succeeded');
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('logged out, a bookmarked page asks to log in, then shows that page', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signUpInPage(page, 'en');
    await page.getByRole('link', { name: 'Start a new practice' }).click();
    await page.getByRole('button', { name: 'Create questions and start' }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    const address = page.url();
    const email = await page.evaluate(async () => {
      const response = await fetch('/api/users/me', {
        headers: { authorization: `Bearer ${localStorage.getItem('interview-practice.token')}` },
      });
      return ((await response.json()) as { email: string }).email;
    });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(address);
    await page.getByText('Please log in to continue.').waitFor();
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Questions' }).waitFor();
    assert.equal(page.url(), address);

    // A token the server no longer accepts: back to the login with a message, not a blank page.
    await page.evaluate(() => localStorage.setItem('interview-practice.token', 'not-a-valid-token'));
    await page.reload();
    await page.getByText('Your session has expired. Please log in again.').waitFor();
    await context.close();
  });

  /** Answers the page's requests for `path`'s results with the real results, changed by `change`. */
  async function changeResults(page: Page, change: (results: Record<string, any>) => void): Promise<void> {
    await page.route('**/api/video/results/*', async (route) => {
      const response = await route.fetch();
      const results = await response.json();
      change(results);
      await route.fulfill({ response, json: results });
    });
  }

  /** The metric cards as the page shows them: label, value, state, ▶ link. */
  async function readCards(
    page: Page,
  ): Promise<Record<string, { value: string; state: string; text: string; link: boolean }>> {
    await page.locator('.metric').first().waitFor();
    return page.locator('.metric').evaluateAll((cards) =>
      Object.fromEntries(
        cards.map((card) => [
          card.querySelector('.metric-label')!.textContent,
          {
            value: card.querySelector('.metric-value')!.textContent!,
            state: card.querySelector('.metric-state')!.textContent!.trim(),
            text: card.textContent!,
            link: card.querySelector('button') !== null,
          },
        ]),
      ),
    );
  }

  test('a failed analysis is told by its kind, in the reader’s language, with what to do next', async () => {
    const user = await signUp(app.api);
    const { video_id: videoId } = (await uploadAnswerVideo(app.api, user)).body;
    const { context, page, pageErrors } = await pageAs(user, `/videos/${videoId}?lang=ko`);
    const failedAt = new Date().toISOString();
    await changeResults(page, (results) => {
      results.metrics = null;
      results.analysis = {
        job_id: randomUUID(),
        video_id: videoId,
        status: 'failed',
        stage: 'failed',
        progress: 0,
        attempts: 1,
        error: 'Not a readable media file: Invalid data found when processing input',
        error_kind: 'media',
        created_at: failedAt,
        started_at: failedAt,
        finished_at: failedAt,
      };
    });
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: '영상 파일을 읽을 수 없어' });
    await alert.waitFor();
    // The sentence is ours, not the engine's English.
    assert.doesNotMatch((await alert.textContent())!, /Invalid data|Not a readable/);
    await alert.getByRole('button').waitFor();
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('metric cards judge only what was measured; pace in tenths, the longest pause in seconds', async () => {
    const user = await signUp(app.api);
    const { video_id: videoId } = (await uploadAnswerVideo(app.api, user)).body;
    const analysed = await app.api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
    assert.equal(analysed.status, 200, analysed.text);

    // No face in any frame and no speech heard: counts of 0 are no finding.
    const { context, page, pageErrors } = await pageAs(user, `/videos/${videoId}?lang=ko`);
    await changeResults(page, (results) => {
      const metrics = results.metrics;
      Object.assign(metrics, { center_gaze_ratio: null, smile_ratio: null, nod_count: 0, nod_times_sec: [] });
      Object.assign(metrics, { blink_count: 0, blink_rate_per_min: 0, blink_times_sec: [], filler_count: 0 });
      metrics.gaze_away_segments = [];
      metrics.metadata.frame_count_valid = 0;
      Object.assign(metrics.speech, { stt_status: 'no_speech', speech_segments: [], pauses: [], fillers: [] });
      Object.assign(metrics.speech, { pause_count: 0, longest_pause_sec: null, wpm_speaking: null });
      metrics.wpm = null;
      results.timeline = results.timeline.map((frame: object) => ({ ...frame, valid: false }));
      results.alerts = [];
    });
    await page.reload();
    let cards = await readCards(page);
    for (const label of ['끄덕임', '눈 깜빡임', '채움말', '가장 긴 쉼']) {
      assert.equal(cards[label]!.value, '–', `${label}: ${cards[label]!.text}`);
      assert.equal(cards[label]!.state, '– 측정 안 됨', label);
      assert.equal(cards[label]!.link, false, label);
    }
    // The timeline's legend names only what its lanes show: no face, nothing else.
    const legend = page.getByRole('list', { name: '범례' });
    assert.deepEqual(await legend.getByRole('listitem').allTextContents(), ['얼굴 없음']);

    // Measured: a Korean pace of exactly 4 syllables a second, one long pause.
    await page.unrouteAll();
    await changeResults(page, (results) => {
      results.transcript_language = 'ko';
      const speech = results.metrics.speech;
      Object.assign(speech, { syllables_per_sec: 4, pause_count: 2, longest_pause_sec: 4.1 });
      speech.pauses = [
        { start_sec: 2.5, end_sec: 3, duration_sec: 0.5 },
        { start_sec: 1, end_sec: 5.1, duration_sec: 4.1 },
      ];
    });
    await page.reload();
    cards = await readCards(page);
    assert.equal(cards['말 속도']!.value, '4.0음절/초');
    assert.equal(cards['말 속도']!.link, false, 'a pace has no one moment');
    assert.equal(cards['눈 깜빡임']!.link, false, 'nor has a blink rate');
    assert.equal(cards['가장 긴 쉼']!.value, '4.1초');
    assert.match(cards['가장 긴 쉼']!.text, /쉼 2회/);
    assert.match(cards['가장 긴 쉼']!.text, /목표 < 3초/);
    assert.equal(cards['가장 긴 쉼']!.state, '! 주의');
    await page
      .locator('.metric')
      .filter({ hasText: '가장 긴 쉼' })
      .getByRole('button', { name: '가장 긴 쉼: 0:01부터 재생' })
      .waitFor();

    // A face in 30 % of the frames, under the rules' valid_frame_ratio_min: the figures are shown, but
    // not judged, as the written feedback does not judge them either.
    await page.unrouteAll();
    await changeResults(page, (results) => {
      results.metrics.metadata.confidence.valid_frame_ratio = 0.3;
    });
    await page.reload();
    cards = await readCards(page);
    for (const label of ['시선 맞춤', '미소', '끄덕임', '눈 깜빡임']) {
      assert.notEqual(cards[label]!.value, '–', label);
      assert.equal(cards[label]!.state, '– 측정 안 됨', label);
      assert.match(cards[label]!.text, /얼굴이 보인 프레임 30%: 판단하지 않음/, label);
    }
    assert.doesNotMatch(cards['채움말']!.text, /얼굴이 보인/);

    // On a phone the cards fill the width of the page's column.
    await page.setViewportSize({ width: 390, height: 844 });
    const widths = await page.evaluate(() => ({
      cards: document.querySelector('.area-cards')!.getBoundingClientRect().width,
      player: document.querySelector('.area-player')!.getBoundingClientRect().width,
    }));
    assert.ok(Math.abs(widths.cards - widths.player) < 2, JSON.stringify(widths));
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('the timeline: a visible heading, tick labels on its time axis, the hint as a description', async () => {
    const user = await signUp(app.api);
    const { video_id: videoId } = (await uploadAnswerVideo(app.api, user)).body;
    assert.equal((await app.api.post(`/api/video/analyze/${videoId}`, undefined, user.token)).status, 200);
    const { context, page, pageErrors } = await pageAs(user, `/videos/${videoId}`);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByRole('heading', { name: 'Timeline' }).waitFor();
    const slider = timeline.getByRole('slider', { name: 'Timeline' });
    const hint = await slider.evaluate(
      (element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent,
    );
    assert.equal(hint, 'Click or drag on the timeline to jump to that moment.');
    // A 5 s answer: ticks at 0:00 and 0:05, placed at their share of the track's width.
    assert.deepEqual(await timeline.locator('.tick').allTextContents(), ['0:00', '0:05']);
    const duration = Number(await slider.getAttribute('aria-valuemax'));
    const [track, tick] = await Promise.all([slider.boundingBox(), timeline.locator('.tick').nth(1).boundingBox()]);
    const centre = tick!.x + tick!.width / 2 - track!.x;
    assert.ok(Math.abs(centre / track!.width - 5 / duration) < 0.05, `tick at ${centre} of ${track!.width}`);
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('question-type badges stay on one line on a phone', async () => {
    const user = await signUp(app.api);
    const session = await app.api.post('/api/interviews/sessions', { title: 'badges' }, user.token);
    assert.equal(session.status, 201, session.text);
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${app.api.baseUrl}/?lang=ko`);
    await page.evaluate((token) => localStorage.setItem('interview-practice.token', token), user.token);
    await page.goto(`${app.api.baseUrl}/sessions/${session.body.id}`);
    await page.locator('.question .badge').first().waitFor();
    const badges = await page.locator('.question .badge').evaluateAll((elements) =>
      elements.map((element) => ({
        text: element.textContent,
        height: element.getBoundingClientRect().height,
        line: parseFloat(getComputedStyle(element).lineHeight),
      })),
    );
    assert.ok(badges.length >= 3, JSON.stringify(badges));
    for (const badge of badges) assert.ok(badge.height < badge.line * 1.5, JSON.stringify(badge));
    await context.close();
  });

  test('the recorder: camera-shaped preview, meter under it, devices folded, countdown cancelled, take length', async () => {
    const context = await newContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await openRecorderOfNewPractice(page);

    // The fake camera films a square: the stage takes its shape, not 16:9.
    const preview = page.getByLabel('Camera preview');
    await page.waitForFunction(() => (document.querySelector('video.mirror') as HTMLVideoElement)?.videoWidth > 0);
    const camera = await preview.evaluate((video: HTMLVideoElement) => video.videoWidth / video.videoHeight);
    const stage = (await page.locator('.stage-frame').boundingBox())!;
    assert.ok(Math.abs(stage.width / stage.height - camera) < 0.03, `stage ${stage.width}×${stage.height}`);
    const meter = (await page.getByRole('meter', { name: 'Microphone level' }).boundingBox())!;
    assert.ok(meter.y > stage.y + stage.height && meter.y < stage.y + stage.height + 60, 'the meter is under it');
    // (A picker's name holds its chosen device too, so they are found by their place.)
    const cameraPicker = page.locator('.device-pickers select').first();
    await cameraPicker.waitFor({ state: 'attached' });
    assert.equal(await cameraPicker.isVisible(), false, 'devices are folded away');
    await page.getByText('Devices', { exact: true }).click();
    assert.equal(await cameraPicker.isVisible(), true);

    // While the recorder is open the practice cannot be finished (nor its report opened) mid-answer.
    assert.equal(await page.getByRole('button', { name: 'Finish this practice' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Session report' }).count(), 0);

    // Cancelling the countdown goes back to the preview, and nothing records; by keyboard, the focus
    // moves on with the controls (Start → Cancel → Start).
    await page.getByRole('button', { name: 'Start recording' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Cancel' }).waitFor();
    const focusOn = (label: string) =>
      page.waitForFunction((text) => document.activeElement?.textContent === text, label, { timeout: 5_000 });
    await focusOn('Cancel');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(3_500); // past the end of the countdown
    assert.equal(await page.getByRole('button', { name: 'Start recording' }).isEnabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Stop recording' }).count(), 0);
    await focusOn('Start recording');

    // A take says how long it is, and its player knows its duration at once.
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Stop recording' }).waitFor({ timeout: 10_000 });
    await focusOn('Stop recording');
    await page.waitForTimeout(2_200);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.getByText(/^0:0[2-3] recorded$/).waitFor();
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('video.playback');
      return video !== null && Number.isFinite(video.duration) && video.duration > 1 && video.currentTime === 0;
    });
    assert.deepEqual(pageErrors, []);
    page.on('dialog', (dialog) => void dialog.accept());
    await context.close();
  });

  test('documents: each opens to the text read from it; Korean errors keep a limit, not English', async () => {
    const user = await signUp(app.api);
    const posting = { company_name: 'Acme', title: 'Backend', raw_text: `${'Java Kafka Redis. '.repeat(150)}END` };
    assert.equal((await app.api.post('/api/job-postings/', posting, user.token)).status, 201);
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${app.api.baseUrl}/?lang=ko`);
    await page.evaluate((token) => localStorage.setItem('interview-practice.token', token), user.token);
    await page.goto(`${app.api.baseUrl}/documents`);
    const pdf = join(dir, 'read-me.pdf');
    await writeFile(pdf, await portfolioPdf());
    await page.getByLabel('PDF 선택').setInputFiles(pdf);
    const portfolio = page.getByRole('listitem').filter({ hasText: 'read-me.pdf' });
    await portfolio.getByText('읽어 낸 내용 보기').click();
    await portfolio.getByText(/Backend developer\. Java, Spring Boot/).waitFor();

    const item = page.getByRole('listitem').filter({ hasText: 'Acme' });
    assert.equal(await item.getByText(/Java Kafka/).isVisible(), false, 'folded until asked');
    await item.getByText('읽어 낸 내용 보기').click();
    const shown = (await item.locator('.extracted-text').textContent())!;
    assert.ok(shown.length <= 1501 && !shown.includes('END'), `${shown.length} characters shown`);
    await item.getByText('앞의 1,500자만 보여 드립니다 (전체 2,703자).').waitFor();

    // The posting's submit button: the primary action, as wide as its words.
    const add = page.getByRole('button', { name: '공고 추가' });
    assert.match((await add.getAttribute('class'))!, /\bprimary\b/);
    const form = (await page.locator('form').boundingBox())!;
    assert.ok((await add.boundingBox())!.width < form.width / 2);

    // Deleting asks without a particle that may not fit the name.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: '삭제: Acme Backend' }).click();
    assert.deepEqual(asked, ['‘Acme Backend’\n삭제할까요? 되돌릴 수 없습니다.']);

    // A limit the server names is kept, in Korean; its English is not shown.
    await page.route('**/api/portfolios/upload', (route) =>
      route.fulfill({
        status: 413,
        json: { detail: 'File size exceeds 20 MB limit', code: 'FILE_TOO_LARGE' },
      }),
    );
    await page.getByLabel('PDF 선택').setInputFiles(pdf);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.textContent(), '파일이 너무 큽니다. 20MB까지 올릴 수 있습니다.');
    await context.close();
  });

  test('analysis progress names the stage alone; a failed analysis says why and what next, in Korean', async () => {
    const user = await signUp(app.api);
    const { video_id: videoId } = (await uploadAnswerVideo(app.api, user)).body;
    const context = await newContext(browser);
    await context.addInitScript(recordAnnouncements);
    const page = await context.newPage();
    await page.goto(`${app.api.baseUrl}/?lang=ko`);
    await page.evaluate((token) => localStorage.setItem('interview-practice.token', token), user.token);
    await page.goto(`${app.api.baseUrl}/videos/${videoId}`);
    await page.getByText('아직 분석하지 않은 답변입니다.').waitFor();

    // A job of our own making: running at the face stage, then (once seen) failed on the file.
    const job = {
      job_id: '00000000-0000-4000-8000-000000000001',
      video_id: videoId,
      status: 'queued',
      stage: null,
      progress: 0,
      error: null,
      error_kind: null,
      attempts: 1,
      created_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
    };
    let release = () => {};
    const seen = new Promise<void>((resolve) => (release = resolve));
    let streams = 0;
    await page.route('**/api/video/analyze/*', (route) => route.fulfill({ status: 202, json: job }));
    await page.route('**/api/video/jobs/*/events', async (route) => {
      streams += 1;
      if (streams > 1) await seen;
      const update =
        streams === 1
          ? { ...job, status: 'running', stage: 'face', progress: 0.4 }
          : { ...job, status: 'failed', stage: 'probe', error: 'moov atom not found', error_kind: 'media' };
      await route.fulfill({
        headers: { 'content-type': 'text/event-stream' },
        body: `data: ${JSON.stringify(update)}\n\n`,
      });
    });
    await page.getByRole('button', { name: '분석하기' }).click();
    const progress = page.locator('.job-progress');
    await progress.getByText('40%').waitFor();
    assert.equal(await progress.locator('.stage-name').textContent(), '얼굴 분석 중');
    await progress.getByText('이 페이지를 나가도 분석은 계속됩니다.').waitFor();
    release();
    const said = '영상 파일을 읽을 수 없어 분석하지 못했습니다. 다시 녹화하거나 MP4·WebM·MOV 파일로 올려 주세요.';
    await page.waitForFunction((text) => (window as unknown as { announced: string[] }).announced.includes(text), said);
    await context.close();
  });
});

/** An init script: every message the live region announces is kept, in order, in `window.announced`. */
function recordAnnouncements(): void {
  const announced: string[] = [];
  (window as unknown as { announced: string[] }).announced = announced;
  new MutationObserver(() => {
    const text = document.querySelector('[aria-live]')?.textContent;
    if (text && announced.at(-1) !== text) announced.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Screenshots for the README, written to docs/screenshots when UPDATE_SCREENSHOTS=1. */
async function maybeScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const file = join(tmpdir(), `ip-shot-${name}`);
  await page.screenshot({ path: file, ...options });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await mkdir(SCREENSHOTS, { recursive: true });
    await copyFile(file, join(SCREENSHOTS, name));
  }
  await rm(file, { force: true });
}
