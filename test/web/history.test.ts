// Practice history in a real browser: the session's answers as attempt chips, the review's comparison
// with the last attempt (against the figures the API stored), the progress page and the session report,
// and the review's actions on a phone. Three analysed answers to one question, each heard differently
// by the fake transcription server, so their figures differ.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../src/cli/build-web.ts';
import { TALKING_FEMALE, TALKING_MALE } from '../analysis/media-helpers.ts';
import { fakeServer, sendJson } from '../analysis/speech-helpers.ts';
import { signUp, startApp, uploadAnswerVideo, type TestApp, type TestUser } from '../helpers.ts';
import { chromiumMissing, launch, newContext } from './browser.ts';

// What the transcription server hears in the first, second and third analysis: 3, 1 and 0 fillers.
const HEARD = [
  'Um, I built Java services. Uh, and um, I led a team.',
  'I built Java services. Uh, and I led a team of four.',
  'I built Java services, and I led a team of four people.',
];
const FILLERS = [3, 1, 0];

/** Whisper-style words: a quarter of a second each, a tenth apart. */
function transcript(text: string) {
  const words = text.split(' ').map((word, index) => ({ word, start: 0.3 + index * 0.35, end: 0.55 + index * 0.35 }));
  const end = words.at(-1)!.end;
  return {
    task: 'transcribe',
    language: 'english',
    duration: 6,
    text: ` ${text}`,
    segments: [{ id: 0, seek: 0, tokens: [], temperature: 0, start: 0.3, end, text: ` ${text}` }],
    words,
  };
}

interface Change {
  key: string;
  previous: number | null;
  latest: number | null;
  outcome: 'improved' | 'worse' | 'unchanged' | null;
}
interface FigureDefinition {
  key: string;
  unit: string;
  label: string;
}

describe('practice history in Chromium', { skip: chromiumMissing }, () => {
  let app: TestApp;
  let browser: Browser;
  let user: TestUser;
  let sessionId: string;
  let questionId: string;
  const videoIds: string[] = [];
  let heard = 0;
  const cleanups: Array<() => unknown> = [];
  const suiteScope = { after: (cleanup: () => unknown) => void cleanups.push(cleanup) };

  /** Uploads one more answer to the question; analyses it (and waits) unless told not to. */
  async function answer(file: string, analyse = true): Promise<string> {
    const { video_id: videoId } = (await uploadAnswerVideo(app.api, user, { sessionId, questionId }, file)).body;
    if (analyse) await analyseVideo(videoId);
    videoIds.push(videoId);
    return videoId;
  }
  async function analyseVideo(videoId: string): Promise<void> {
    const analysed = await app.api.post(`/api/video/analyze/${videoId}`, undefined, user.token);
    assert.equal(analysed.status, 200, analysed.text);
  }

  before(async () => {
    await ensureWebBuilt();
    const stt = await fakeServer(suiteScope, (_request, response) => {
      sendJson(response, 200, transcript(HEARD[Math.min(heard++, HEARD.length - 1)]!));
    });
    app = await startApp(suiteScope as unknown as Parameters<typeof startApp>[0], 'sqlite', {
      STT_ENGINE: 'openai',
      STT_OPENAI_URL: `${stt.url}/v1`,
      STT_LANGUAGE: 'en',
    });
    browser = await launch();
    user = await signUp(app.api);
    const session = await app.api.post(
      '/api/interviews/sessions',
      { title: 'Backend practice', generate_questions: false },
      user.token,
    );
    assert.equal(session.status, 201, session.text);
    sessionId = session.body.id;
    const question = await app.api.post(
      `/api/interviews/sessions/${sessionId}/questions`,
      { text: 'Tell me about a project you led.' },
      user.token,
    );
    questionId = question.body.id;
    await answer(TALKING_MALE);
    await answer(TALKING_FEMALE);
  });
  after(async () => {
    await browser?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function pageAs(
    who: TestUser,
    path: string,
    lang: 'ko' | 'en',
    viewport = { width: 1280, height: 800 },
  ): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
    const context = await newContext(browser, viewport);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${app.api.baseUrl}/?lang=${lang}`);
    await page.evaluate((token) => localStorage.setItem('interview-practice.token', token), who.token);
    await page.goto(`${app.api.baseUrl}${path}`);
    return { context, page, pageErrors };
  }

  /** A reply as the English page reads it (labels in the reader's language). */
  const inEnglish = async (path: string) =>
    (await app.api.request('GET', path, { token: user.token, headers: { 'accept-language': 'en' } })).body;
  const attemptsReply = async () =>
    (await inEnglish(`/api/interviews/questions/${questionId}/attempts`)) as {
      figures: FigureDefinition[];
      attempts: Array<{ video_id: string; figures: Record<string, number | null> }>;
      comparison: { previous_video_id: string; latest_video_id: string; changes: Change[] } | null;
    };
  const storedMetrics = async (videoId: string) =>
    (await app.api.get(`/api/video/results/${videoId}`, user.token)).body.metrics as {
      filler_count: number | null;
      center_gaze_ratio: number | null;
    };

  /** The value as the English page writes it, worked out here from the unit. */
  function english(figure: FigureDefinition, value: number): string {
    const fixed = (digits: number) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits }).format(value);
    switch (figure.unit) {
      case 'ratio':
        return `${Math.round(value * 100)}%`;
      case 'count':
        return fixed(0);
      case 'syllables/s':
        return `${fixed(1)} syll./s`;
      case 'words/min':
        return `${fixed(0)} wpm`;
      case 's':
        return `${fixed(1)} s`;
      case '0/1':
        return value >= 1 ? 'yes' : 'no';
      case 'parts (0–4)':
        return `${fixed(0)}/4`;
      default:
        return fixed(2);
    }
  }
  const OUTCOME_EN = { improved: 'better', worse: 'worse', unchanged: 'unchanged' } as const;

  /** Every row of the comparison strip shows the two stored values and the server's verdict. */
  async function expectStrip(page: Page, figures: FigureDefinition[], changes: Change[]): Promise<void> {
    const strip = page.getByRole('region', { name: 'Compared with your last attempt' });
    await strip.waitFor();
    const judged = changes.filter((change) => change.outcome !== null);
    assert.ok(judged.length >= 5, `only ${judged.length} figures compared`);
    await strip.locator('.compare-row').first().waitFor(); // past its "Loading…"
    assert.equal(await strip.locator('.compare-row').count(), judged.length);
    for (const change of judged) {
      const figure = figures.find((definition) => definition.key === change.key)!;
      const row = strip.locator(`.compare-row[data-figure="${change.key}"]`);
      assert.equal(await row.locator('.compare-previous').textContent(), english(figure, change.previous!), change.key);
      assert.equal(await row.locator('.compare-current').textContent(), english(figure, change.latest!), change.key);
      assert.match(
        (await row.locator('.compare-outcome').textContent())!,
        new RegExp(`${OUTCOME_EN[change.outcome!]}$`),
      );
      assert.equal(
        await row
          .locator('.compare-label')
          .textContent()
          .then((text) => text!.startsWith(figure.label)),
        true,
      );
    }
    // Unchanged figures are folded away; better comes before worse.
    const unchanged = judged.filter((change) => change.outcome === 'unchanged').length;
    assert.equal(await strip.locator('details .compare-row').count(), unchanged);
    const order = await strip
      .locator(':scope > ul > .compare-row')
      .evaluateAll((rows) => rows.map((row) => row.className));
    const firstWorse = order.findIndex((name) => name.includes('worse'));
    assert.ok(firstWorse < 0 || !order.slice(firstWorse).some((name) => name.includes('improved')), order.join());
  }

  test('the session lists each answer as an attempt chip with its time and analysis status', async () => {
    const third = await answer(TALKING_MALE, false); // uploaded, not analysed yet
    const videos = (await app.api.get(`/api/interviews/sessions/${sessionId}/videos`, user.token)).body as Array<{
      id: string;
      created_at: string;
    }>;
    const { context, page, pageErrors } = await pageAs(user, `/sessions/${sessionId}`, 'en');
    const chips = page.getByRole('list', { name: 'Answers to “Tell me about a project you led.”' }).getByRole('link');
    await chips.first().waitFor();
    const time = (iso: string) =>
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
    const created = (id: string) => videos.find((video) => video.id === id)!.created_at;
    assert.deepEqual(await chips.allTextContents(), [
      `Attempt 1 · ${time(created(videoIds[0]!))} · analysed`,
      `Attempt 2 · ${time(created(videoIds[1]!))} · analysed`,
      `Attempt 3 · ${time(created(third))} · not analysed`,
    ]);
    assert.deepEqual(
      await chips.evaluateAll((links) => links.map((link) => link.getAttribute('href'))),
      videoIds.map((id) => `/videos/${id}`),
    );
    // Korean: 1차 · 시각 · 분석 완료.
    await page.getByRole('button', { name: '한국어' }).click();
    const korean = page.getByRole('list', { name: '‘Tell me about a project you led.’에 대한 답변' }).getByRole('link');
    await korean.first().waitFor();
    assert.equal(await korean.first().textContent(), `1차 · ${time(created(videoIds[0]!))} · 분석 완료`);
    assert.equal(await korean.nth(2).textContent(), `3차 · ${time(created(third))} · 분석 전`);
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('the review compares the answer with the attempt before it, figure by figure, from the stored figures', async () => {
    const reply = await attemptsReply();
    assert.equal(reply.attempts.length, 2);
    assert.equal(reply.comparison?.latest_video_id, videoIds[1]);
    const changes = reply.comparison!.changes;
    // The figures the strip shows are the stored ones: the filler counts the transcripts carried.
    const [first, second] = [await storedMetrics(videoIds[0]!), await storedMetrics(videoIds[1]!)];
    assert.deepEqual([first.filler_count, second.filler_count], FILLERS.slice(0, 2));
    const fillers = changes.find((change) => change.key === 'filler_count')!;
    assert.deepEqual([fillers.previous, fillers.latest, fillers.outcome], [3, 1, 'improved']);
    const gaze = changes.find((change) => change.key === 'center_gaze_ratio')!;
    assert.deepEqual([gaze.previous, gaze.latest], [first.center_gaze_ratio, second.center_gaze_ratio]);

    const { context, page, pageErrors } = await pageAs(user, `/videos/${videoIds[1]}`, 'en');
    await expectStrip(page, reply.figures, changes);
    const strip = page.getByRole('region', { name: 'Compared with your last attempt' });
    assert.equal(
      await strip.locator('.compare-row[data-figure="filler_count"] .compare-outcome').textContent(),
      '✓ better',
    );
    assert.match((await strip.locator('p').first().textContent())!, /^Attempt 1 → Attempt 2 \(this one\)/);
    // The other answers to the question, this one marked and not a link.
    const others = strip.getByRole('navigation', { name: 'Your answers to this question' });
    assert.deepEqual(
      await others.getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('href'))),
      [`/videos/${videoIds[0]}`, `/videos/${videoIds[2]}`],
    );
    assert.match((await others.locator('[aria-current="page"]').textContent())!, /^Attempt 2 · /);

    // The first attempt has nothing before it.
    await others.getByRole('link').first().click();
    await page.waitForURL(`${app.api.baseUrl}/videos/${videoIds[0]}`);
    await strip.getByText('No answer to this question was analysed before this one').waitFor();
    assert.equal(await strip.locator('.compare-row').count(), 0);

    // Once a third is analysed, the second is no longer the latest: its strip still compares it with
    // the first (worked out by the page, as the server did while it was the latest), and the third's
    // strip follows the server's new comparison.
    await analyseVideo(videoIds[2]!);
    const later = await attemptsReply();
    assert.equal(later.comparison?.previous_video_id, videoIds[1]);
    await page.goto(`${app.api.baseUrl}/videos/${videoIds[1]}`);
    await expectStrip(page, reply.figures, changes);
    await page.goto(`${app.api.baseUrl}/videos/${videoIds[2]}`);
    await expectStrip(page, later.figures, later.comparison!.changes);
    assert.equal(
      await strip.locator('.compare-row[data-figure="filler_count"] .compare-previous').textContent(),
      String(FILLERS[1]),
    );
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('on a phone the review’s actions follow the feedback, and deleting stands apart', async () => {
    const { context, page, pageErrors } = await pageAs(user, `/videos/${videoIds[1]}`, 'ko', {
      width: 390,
      height: 844,
    });
    const feedback = page.getByRole('region', { name: '피드백' });
    await feedback.waitFor();
    const actions = page.getByRole('group', { name: '답변 작업' });
    const followUp = actions.getByRole('button', { name: '꼬리 질문 받기' });
    const remove = page.getByRole('button', { name: '답변 삭제' });
    assert.equal(await actions.getByRole('button', { name: '답변 삭제' }).count(), 0);
    const top = async (locator: ReturnType<Page['locator']>) => (await locator.boundingBox())!.y;
    const player = page.getByLabel('답변 영상');
    // The first screen: the question, then the player; no row of buttons above it.
    assert.ok((await top(player)) < 400, `player at ${await top(player)}`);
    assert.ok((await top(followUp)) > (await top(feedback)), 'actions after the feedback');
    assert.ok((await top(remove)) > (await top(page.getByRole('region', { name: '지난 시도와 비교' }))));
    assert.ok((await top(remove)) > (await top(page.getByRole('region', { name: '답변 스크립트' }))));
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  test('the progress page: trends per figure from the analysed answers, in Korean; an empty one says what to do', async () => {
    const progress = (await app.api.get('/api/users/me/progress', user.token)).body as {
      answers: unknown[];
      trends: Array<{ key: string; trend: { first_mean: number; last_mean: number; outcome: string | null } | null }>;
      strongest: Array<{ label: string }>;
      practise_next: Array<{ label: string }>;
    };
    assert.equal(progress.answers.length, 3);
    const { context, page, pageErrors } = await pageAs(user, '/', 'ko');
    await page.getByRole('link', { name: '기록' }).click();
    await page.getByRole('heading', { name: '연습 기록', level: 1 }).waitFor();
    assert.equal(await page.getByRole('link', { name: '기록' }).getAttribute('aria-current'), 'page');
    // Fillers: with three answers the first one against the last one, 3 → 0 (the transcripts' count).
    const fillers = page.locator('.progress-figure[data-figure="filler_count"]');
    assert.equal(await fillers.getByRole('heading').textContent(), '채움말');
    assert.match((await fillers.locator('.progress-trend').textContent())!, /^3회 → 0회 ✓ 나아짐/);
    const filler = progress.trends.find((trend) => trend.key === 'filler_count')!;
    assert.deepEqual([filler.trend?.first_mean, filler.trend?.last_mean], [FILLERS[0], FILLERS[2]]);
    // Every judged figure with a trend shows the server's verdict.
    const words = { improved: '나아짐', worse: '나빠짐', unchanged: '변화 없음' } as Record<string, string>;
    for (const trend of progress.trends.filter((item) => item.trend?.outcome)) {
      const card = page.locator(`.progress-figure[data-figure="${trend.key}"]`);
      assert.match((await card.locator('.outcome').textContent())!, new RegExp(`${words[trend.trend!.outcome!]}$`));
    }
    // The habits of the latest answers, as the server ranks them.
    const habitLabels = (region: string) =>
      page.getByRole('region', { name: region }).locator('.habit > strong').allTextContents();
    assert.ok(progress.strongest.length + progress.practise_next.length > 0, 'no habit was ranked');
    assert.deepEqual(
      [await habitLabels('잘하고 있는 습관'), await habitLabels('다음에 연습할 습관')],
      [progress.strongest.map((habit) => habit.label), progress.practise_next.map((habit) => habit.label)],
    );
    // The practice's report is one click away.
    await page.getByRole('link', { name: '세션 리포트: Backend practice' }).click();
    await page.getByRole('heading', { name: '세션 리포트', level: 1 }).waitFor();
    assert.deepEqual(pageErrors, []);
    await context.close();

    const newcomer = await signUp(app.api);
    const empty = await pageAs(newcomer, '/progress', 'ko');
    await empty.page.getByText('아직 분석을 마친 답변이 없습니다.', { exact: false }).waitFor();
    await empty.page.getByRole('link', { name: '새 연습 시작' }).first().waitFor();
    await empty.context.close();
  });

  test('the session report: the habits the server ranks and each question’s latest answer', async () => {
    const report = (await inEnglish(`/api/interviews/sessions/${sessionId}/report`)) as {
      strongest: Array<{ habit: string; label: string }>;
      practise_next: Array<{ habit: string; label: string }>;
      habits: unknown[];
    };
    const { context, page, pageErrors } = await pageAs(user, `/sessions/${sessionId}`, 'en');
    await page.getByRole('link', { name: 'Session report' }).click();
    await page.getByRole('heading', { name: 'Session report', level: 1 }).waitFor();
    const labels = (region: string) =>
      page.getByRole('region', { name: region }).locator('.habit > strong').allTextContents();
    assert.deepEqual(
      await labels('Your strongest habits'),
      report.strongest.map((habit) => habit.label),
    );
    assert.deepEqual(
      await labels('Practise next'),
      report.practise_next.map((habit) => habit.label),
    );
    assert.ok(report.strongest.length + report.practise_next.length > 0);
    assert.equal(
      await page.getByRole('link', { name: 'See the latest answer' }).getAttribute('href'),
      `/videos/${videoIds[2]}`,
    );
    assert.deepEqual(pageErrors, []);
    await context.close();
  });

  // Screenshots of the new screens, to look at: HISTORY_SCREENSHOTS=<folder>.
  test(
    'screenshots',
    { skip: !process.env.HISTORY_SCREENSHOTS && 'set HISTORY_SCREENSHOTS to take them' },
    async () => {
      const dir = process.env.HISTORY_SCREENSHOTS!;
      await mkdir(dir, { recursive: true });
      const screens: Array<[string, string, string]> = [
        ['session', `/sessions/${sessionId}`, 'Session report'],
        ['review', `/videos/${videoIds[2]}`, 'Compared with your last attempt'],
        ['progress', '/progress', 'Figure by figure'],
        ['report', `/sessions/${sessionId}/report`, 'Practise next'],
      ];
      for (const lang of ['ko', 'en'] as const) {
        for (const viewport of [
          { width: 390, height: 844 },
          { width: 1280, height: 800 },
        ]) {
          const { context, page } = await pageAs(user, '/', lang, viewport);
          for (const [name, path] of screens) {
            await page.goto(`${app.api.baseUrl}${path}`);
            await page.waitForLoadState('networkidle');
            await page.waitForTimeout(300);
            const file = join(dir, `${name}-${lang}-${viewport.width}.png`);
            await page.screenshot({ path: file });
            await page.screenshot({ path: file.replace('.png', '-full.png'), fullPage: true });
            if (name === 'review')
              await page.locator('.area-compare').screenshot({ path: file.replace('.png', '-compare.png') });
          }
          await context.close();
        }
      }
    },
  );
});
