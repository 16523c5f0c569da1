// Content feedback (category "content") from a content analysis, in Korean or English, in the voice of
// the delivery items: what was observed, quoting the candidate's own words and numbers, then one to
// three concrete things to try.
import { CONTENT_THRESHOLDS, quote, type ContentAnalysis } from '../content/index.ts';
import { withinVideo, type Moment } from './moments.ts';
import { type FeedbackItem, type FeedbackLang, type Severity } from './rules.ts';

export type ContentFeedbackItem = FeedbackItem & { category: 'content' };
type Part = 'situation' | 'task' | 'action' | 'result';

const q = (text: string) => `'${quote(text)}'`;
const list = (items: string[]) => items.map(q).join(', ');
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the specificity score counts, said as counts instead of the score. */
interface Counted {
  numbers: number;
  skills: number;
  named: number;
}

const PHRASES = {
  ko: {
    topics: {
      point: '두괄식',
      star: '답변 구조(STAR)',
      specificity: '구체성',
      hedges: '완곡한 표현',
      repeated: '반복 표현',
      length: '답변 길이',
      question: '질문과의 연관성',
      posting: '공고와의 연관성',
    },
    parts: { situation: '상황', task: '맡은 과제', action: '행동', result: '결과' } as Record<Part, string>,
    pointGood: (first: string) =>
      `첫 문장 ${q(first)}에서 요점을 먼저 말했습니다. 지금처럼 결론부터 말하고 근거를 이어 가세요.`,
    pointLate: (first: string, result: string | null) =>
      `첫 문장은 ${q(first)}였고, 요점은 그 뒤에 나왔습니다. ${
        result
          ? `1) 결론부터: ${q(result)}로 답변을 시작하고, 2) 그다음에 배경과 과정을 덧붙여 보세요.`
          : '1) 질문에 대한 답을 한 문장으로 먼저 말하고, 2) 그다음에 배경과 과정을 덧붙여 보세요.'
      }`,
    starGood: () => '상황, 맡은 과제, 행동, 결과가 모두 들어 있는 답변입니다.',
    starMissing: (missing: string[]) => `답변에서 ${missing.join(', ')} 부분을 찾지 못했습니다.`,
    starTips: {
      result: "마지막에 결과를 숫자와 함께 말해 보세요(예: '응답 시간을 30% 줄였습니다').",
      situation: '언제, 어디서 있었던 일인지 한 문장으로 먼저 밝혀 보세요.',
      task: "그 안에서 본인이 맡은 역할을 '제 역할은 ~였습니다'처럼 말해 보세요.",
      action: "본인이 한 일을 '저는 ~를 도입했습니다'처럼 주어와 동사를 넣어 말해 보세요.",
    } as Record<Part, string>,
    numbersGood: (numbers: string[], c: Counted) =>
      `${list(numbers)}처럼 수치를 들어 말했습니다(수치 ${c.numbers}개, 기술명 ${c.skills}개, 프로젝트·회사 이름 ${c.named}개). 수치마다 무엇과 비교한 값인지도 함께 말하면 더 설득력 있습니다.`,
    noNumbers: (claim: string | null, c: Counted) =>
      `답변에 숫자가 하나도 없습니다(기술명 ${c.skills}개, 프로젝트·회사 이름 ${c.named}개). ${
        claim
          ? `1) ${q(claim)} 뒤에 있는 숫자를 더해 보세요: 얼마나, 몇 명, 몇 %였는지, 2) 사용한 기술이나 프로젝트 이름을 밝혀 보세요.`
          : '1) 규모(기간, 인원, 사용자 수)와 결과를 숫자로 말하고, 2) 사용한 기술이나 프로젝트 이름을 밝혀 보세요.'
      }`,
    hedges: (quoted: string) =>
      `${quoted}처럼 말끝을 흐리는 표현이 있었습니다. 1) '~것 같습니다' 대신 '~했습니다'로 끝맺고, 2) 확실하지 않은 부분은 '확인한 바로는'처럼 근거를 대 보세요.`,
    repeated: (quoted: string) =>
      `${quoted}를 여러 번 반복했습니다. 두 번째부터는 '이 작업'처럼 받거나 더 구체적인 말로 바꿔 보세요.`,
    short: (sec: number, [a, b]: [number, number]) =>
      `답변이 ${Math.round(sec)}초였습니다(이 질문은 ${a}–${b}초가 알맞습니다). 1) 본인이 한 행동을 한 문장 더 말하고, 2) 결과와 배운 점을 덧붙여 보세요.`,
    long: (sec: number, [a, b]: [number, number]) =>
      `답변이 ${Math.round(sec)}초였습니다(이 질문은 ${a}–${b}초가 알맞습니다). 1) 상황 설명을 한두 문장으로 줄이고, 2) 결론부터 말해 보세요.`,
    questionMissed: (missing: string[]) =>
      `질문의 ${list(missing)}에 대한 말이 답변에 없습니다. 1) 첫 문장에서 질문의 말을 받아 답하고, 2) 그 말로 답변을 마무리해 보세요.`,
    postingNone: (missing: string[]) =>
      `공고가 요구하는 ${list(missing)} 중 어느 것도 답변에 나오지 않았습니다. 이 경험을 공고의 기술과 이어 한 문장으로 말해 보세요.`,
    postingSome: (covered: string[]) => `공고가 요구하는 ${list(covered)}를 답변에 연결했습니다.`,
  },
  en: {
    topics: {
      point: 'Point first',
      star: 'Structure (STAR)',
      specificity: 'Specificity',
      hedges: 'Hedging',
      repeated: 'Repetition',
      length: 'Length',
      question: 'Answering the question',
      posting: 'Tie to the posting',
    },
    parts: { situation: 'the situation', task: 'your task', action: 'your action', result: 'the result' } as Record<
      Part,
      string
    >,
    pointGood: (first: string) =>
      `Your first sentence, ${q(first)}, came to the point. Keep leading with the outcome and following with the reasons.`,
    pointLate: (first: string, result: string | null) =>
      `Your first sentence was ${q(first)}; the point came later. ${
        result
          ? `1) Lead with the outcome: start with ${q(result)}, 2) then add the background and how you got there.`
          : '1) Answer the question in one sentence first, 2) then add the background and how you got there.'
      }`,
    starGood: () => 'The answer tells the situation, your task, your action and the result.',
    starMissing: (missing: string[]) => `The answer did not tell ${missing.join(', ')}.`,
    starTips: {
      result: "End with the result, with a number (e.g. 'we cut response time by 30%').",
      situation: 'Open with one sentence on when and where it happened.',
      task: "Say what your own part was ('my job was to …').",
      action: "Say what you did yourself ('I introduced …'), with you as the subject.",
    } as Record<Part, string>,
    numbersGood: (numbers: string[], c: Counted) =>
      `You backed the answer with figures: ${list(numbers)} (${plural(c.numbers, 'figure', 'figures')}, ${plural(c.skills, 'named technology', 'named technologies')}, ${plural(c.named, 'named project or organisation', 'named projects or organisations')}). Saying what each figure is compared with makes it stronger.`,
    noNumbers: (claim: string | null, c: Counted) =>
      `The answer has no numbers (${plural(c.skills, 'named technology', 'named technologies')}, ${plural(c.named, 'named project or organisation', 'named projects or organisations')}). ${
        claim
          ? `1) Add the number behind ${q(claim)}: how much, how many, what percentage, 2) name the technology or the project.`
          : '1) Give the scale (time, team size, users) and the result as numbers, 2) name the technology or the project.'
      }`,
    hedges: (quoted: string) =>
      `You softened your claims with ${quoted}. 1) Say 'I did' and 'it was' instead of 'I think', 2) where you are unsure, say what you checked.`,
    repeated: (quoted: string) =>
      `You repeated ${quoted}. After the first time, refer back ('this change') or use a more specific word.`,
    short: (sec: number, [a, b]: [number, number]) =>
      `The answer took ${Math.round(sec)} s (${a}–${b} s suits this question). 1) Add a sentence on what you did, 2) end with the result and what you learned.`,
    long: (sec: number, [a, b]: [number, number]) =>
      `The answer took ${Math.round(sec)} s (${a}–${b} s suits this question). 1) Cut the background to one or two sentences, 2) lead with the outcome.`,
    questionMissed: (missing: string[]) =>
      `The answer never touched ${list(missing)} from the question. 1) Take up the question's words in your first sentence, 2) close with them.`,
    postingNone: (missing: string[]) =>
      `The posting asks for ${list(missing)}; the answer named none of them. Add one sentence tying this experience to one of them.`,
    postingSome: (covered: string[]) => `You tied the answer to ${list(covered)} from the posting.`,
  },
};

/** Content feedback items, in this order: point first, STAR, specificity, hedges, repetition, length, relevance. */
export function contentFeedback(
  content: ContentAnalysis,
  lang: FeedbackLang,
  rules = CONTENT_THRESHOLDS,
): ContentFeedbackItem[] {
  const say = PHRASES[lang];
  const items: ContentFeedbackItem[] = [];
  const add = (severity: Severity, topic: keyof typeof say.topics, message: string, moment: Moment | null) => {
    const at = withinVideo(moment, content.duration_sec);
    items.push({
      level: 'video',
      title: say.topics[topic],
      message,
      severity,
      start_sec: at?.start ?? null,
      end_sec: at?.end ?? null,
      category: 'content',
    });
  };
  const { structure, specificity } = content;
  const sentence = (index: number) => content.sentences[index] ?? null;
  // Moments are the sentences that carry the evidence, when the transcript had times (results stored
  // before sentence times were kept have none, and their items no moment).
  const said = (index: number | undefined): Moment | null => {
    const times = index === undefined ? null : content.sentence_times?.[index];
    return times ? { start: times.start_sec, end: times.end_sec } : null;
  };
  const last = content.sentences.length - 1;
  const mentioning = (words: string[]) =>
    content.sentences.flatMap((text, i) =>
      words.every((word) => text.toLowerCase().includes(word.toLowerCase())) ? [i] : [],
    );

  // Moment: the first sentence, the one the judgement is about.
  const first = structure.conclusion_sentence;
  if (first !== null) {
    const laterResult = structure.star.result.map(sentence).find((s) => s !== null && s !== first) ?? null;
    const at = said(content.sentences.indexOf(first));
    if (structure.conclusion_first) add('info', 'point', say.pointGood(first), at);
    else add('suggestion', 'point', say.pointLate(first, laterResult), at);
  }

  // Moment: complete → the first result sentence; a result missing → the last sentence (where the answer
  // ended without one); situation or task missing → the first sentence (where they belong); only the
  // action missing → the first task sentence (what was done should follow it).
  if (structure.missing.length === 0) add('info', 'star', say.starGood(), said(structure.star.result[0]));
  else {
    const severe = structure.missing.includes('result') || structure.missing.length >= 3;
    const tips = structure.missing
      .slice()
      .sort((a, b) => (a === 'result' ? -1 : b === 'result' ? 1 : 0))
      .slice(0, 3)
      .map((part, i) => `${i + 1}) ${say.starTips[part]}`);
    const missing = structure.missing;
    const at = missing.includes('result')
      ? said(last)
      : missing.includes('situation') || missing.includes('task')
        ? said(0)
        : said(structure.star.task[0]);
    add(
      severe ? 'warning' : 'suggestion',
      'star',
      `${say.starMissing(missing.map((part) => say.parts[part]))} ${tips.join(' ')}`,
      at,
    );
  }

  // Moment: the sentence of the first figure; without figures, the result claim that needs one.
  const counted = {
    numbers: specificity.numbers.length,
    skills: specificity.skills.length,
    named: specificity.named_things.length,
  };
  if (specificity.numbers.length) {
    add(
      'info',
      'specificity',
      say.numbersGood(
        specificity.numbers.slice(0, 3).map((n) => n.text),
        counted,
      ),
      said(specificity.numbers[0]!.sentence),
    );
  } else {
    const claimIndex = structure.star.result.find((i) => sentence(i) !== null);
    const claim = claimIndex === undefined ? null : sentence(claimIndex);
    add(
      specificity.score < rules.specificity.vague_below ? 'warning' : 'suggestion',
      'specificity',
      say.noNumbers(claim, counted),
      said(claimIndex),
    );
  }

  // Moment: the sentence of the first hedge.
  if (content.hedge_count > 0) {
    const counts = new Map<string, number>();
    for (const hedge of content.hedges) counts.set(hedge.text, (counts.get(hedge.text) ?? 0) + 1);
    const quoted = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([text, n]) => (lang === 'ko' ? `${q(text)} ${n}번` : `${q(text)} ${n}×`))
      .join(', ');
    add(
      content.hedge_count > rules.hedges_warning_above ? 'warning' : 'suggestion',
      'hedges',
      say.hedges(quoted),
      said(content.hedges[0]?.sentence),
    );
  }

  // Moment: from the first to the last sentence that says the most repeated phrase (its words as stems,
  // found inside the sentence's words).
  if (content.repeated_phrases.length) {
    const quoted = content.repeated_phrases
      .slice(0, 2)
      .map((p) => (lang === 'ko' ? `${q(p.text)}(${p.count}번)` : `${q(p.text)} (${plural(p.count, 'time', 'times')})`))
      .join(', ');
    const where = mentioning(content.repeated_phrases[0]!.text.split(' '));
    const [from, to] = [said(where[0]), said(where.at(-1))];
    add('suggestion', 'repeated', say.repeated(quoted), from && to ? { start: from.start, end: to.end } : null);
  }

  // Moment: too long → from where the range's upper bound was reached to the end of the answer; too
  // short → the last sentence, where the answer stopped.
  const { length } = content;
  if (length.judgement !== 'ok') {
    const [start, end] = [said(0), said(last)];
    const over =
      start && end && start.start + length.range_sec[1] < end.end
        ? { start: start.start + length.range_sec[1], end: end.end }
        : end;
    add(
      'suggestion',
      'length',
      say[length.judgement](length.value_sec, length.range_sec),
      length.judgement === 'long' ? over : end,
    );
  }

  // Moment: the first sentence, where the advice says to take up the question's words.
  const question = content.relevance.question;
  const terms = question.covered.length + question.missing.length;
  if (terms > 0 && question.covered.length / terms < rules.relevance.question_coverage_min) {
    add(
      question.covered.length === 0 ? 'warning' : 'suggestion',
      'question',
      say.questionMissed(question.missing.slice(0, 4)),
      said(0),
    );
  }
  // Moment: the first sentence naming one of the posting's skills; none named → nothing to point at.
  const posting = content.relevance.posting;
  if (posting.covered.length) {
    const named = content.sentences.findIndex((text) =>
      posting.covered.some((skill) => text.toLowerCase().includes(skill.toLowerCase())),
    );
    add('info', 'posting', say.postingSome(posting.covered.slice(0, 4)), said(named === -1 ? undefined : named));
  } else if (posting.missing.length) add('suggestion', 'posting', say.postingNone(posting.missing.slice(0, 4)), null);
  return items;
}
