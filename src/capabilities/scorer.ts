// The deterministic capability scorer, used without a Gemini key (and when Gemini fails): every point
// comes from evidence found in the documents, and each reason quotes the evidence it counted.
//
// Score of one capability, 0–100, from four parts:
//   skills       15 per skill of the capability named in the portfolio, at most 3      (≤ 45)
//   statements   10 per portfolio line that uses the capability's own words, at most 2 (≤ 20)
//   a number     15 when a line about the capability states a measured result        (≤ 15)
//   requirements 20 × the share of the posting's requirement lines about the capability
//                that the portfolio covers                                            (≤ 20)
// When the posting has no requirement line about the capability (or there is no posting), the first
// three parts are scaled from 80 to 100. Technical Skills counts any skill of the vocabulary, the
// posting's own skills first.
import type { Lang } from '../config.ts';
import { withParticle } from '../llm/korean.ts';
import { requirementLines } from '../llm/questions.ts';
import { findSkills } from '../llm/skills.ts';
import { nameIn, type Capability } from './catalogue.ts';

export interface Evaluation {
  /** 1–6, the capability's place in its role's set. */
  capability_index: number;
  score: number;
  reason: string;
  feedback: string;
  action_items: string[];
}

export const SCORE_PARTS = {
  perSkill: 15,
  maxSkills: 3,
  perStatement: 10,
  maxStatements: 2,
  number: 15,
  requirements: 20,
};

/** A measured result: a number with a unit of change or scale (a bare year does not count). */
const MEASURED =
  /\d[\d,.]*\s*(?:%|퍼센트|배|ms|초|분|시간|명|건|만|억|천|tps|rps|qps|x\b|times|percent|users|seconds|requests|req\/s)/iu;

function linesOf(text: string): string[] {
  return text
    .split(/\r?\n|(?<=[.!?。])\s+/u)
    .map((line) => line.replace(/^\s*(?:[-•·*ㆍ▪■□◦‣]|\d+[.)])\s*/u, '').trim())
    .filter((line) => line.length >= 4);
}

function hasWord(line: string, word: string): boolean {
  const lower = line.toLowerCase();
  if (!/^[\x20-\x7e]+$/.test(word)) return lower.includes(word);
  for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1)) {
    if (!/[a-z0-9]/.test(lower[at - 1] ?? ' ')) return true;
  }
  return false;
}

const quote = (line: string) => `"${line.length > 80 ? `${line.slice(0, 80)}…` : line}"`;

export function scoreCapabilities(
  capabilities: Capability[],
  portfolioText: string,
  postingText: string | null,
  lang: Lang,
): Evaluation[] {
  const ko = lang === 'ko';
  const portfolioLines = linesOf(portfolioText);
  const portfolioSkills = findSkills(portfolioText);
  const postingSkills = postingText ? findSkills(postingText) : [];
  const requirements = postingText ? requirementLines(postingText) : [];

  return capabilities.map((capability, index) => {
    const name = nameIn(capability, lang);
    const relevantSkills = (skills: string[]) =>
      capability.skills === '*' ? skills : skills.filter((skill) => (capability.skills as string[]).includes(skill));
    const aboutCapability = (line: string) =>
      relevantSkills(findSkills(line)).length > 0 || capability.words.some((word) => hasWord(line, word));

    // Skills: the posting's first, so the count favours what the job asks for.
    const owned = relevantSkills(portfolioSkills).sort(
      (a, b) => Number(postingSkills.includes(b)) - Number(postingSkills.includes(a)),
    );
    const counted = owned.slice(0, SCORE_PARTS.maxSkills);
    const skillPoints = counted.length * SCORE_PARTS.perSkill;

    const statements = portfolioLines.filter((line) => capability.words.some((word) => hasWord(line, word)));
    const statementPoints = Math.min(statements.length, SCORE_PARTS.maxStatements) * SCORE_PARTS.perStatement;

    const measured = portfolioLines.find((line) => MEASURED.test(line) && aboutCapability(line));
    const numberPoints = measured ? SCORE_PARTS.number : 0;

    const asked = requirements.filter(aboutCapability);
    const covered = asked.filter((line) => {
      const needed = relevantSkills(findSkills(line));
      if (needed.length) return needed.every((skill) => portfolioSkills.includes(skill));
      return capability.words.some((word) => hasWord(line, word) && statements.some((s) => hasWord(s, word)));
    });
    const uncovered = asked.filter((line) => !covered.includes(line));
    const requirementPoints = asked.length ? Math.round((SCORE_PARTS.requirements * covered.length) / asked.length) : 0;

    const evidencePoints = skillPoints + statementPoints + numberPoints;
    const score = Math.min(
      100,
      asked.length
        ? evidencePoints + requirementPoints
        : Math.round((evidencePoints * 100) / (100 - SCORE_PARTS.requirements)),
    );

    const reasons: string[] = [];
    if (counted.length)
      reasons.push(
        ko ? `보유 기술 ${counted.join(', ')} (+${skillPoints})` : `skills ${counted.join(', ')} (+${skillPoints})`,
      );
    if (statements.length)
      reasons.push(
        ko
          ? `관련 서술 ${statements.length}줄, 예: ${quote(statements[0]!)} (+${statementPoints})`
          : `${statements.length} line(s) about it, e.g. ${quote(statements[0]!)} (+${statementPoints})`,
      );
    if (measured)
      reasons.push(
        ko
          ? `수치로 보인 성과 ${quote(measured)} (+${numberPoints})`
          : `a measured result ${quote(measured)} (+${numberPoints})`,
      );
    if (asked.length)
      reasons.push(
        ko
          ? `공고 요건 ${asked.length}개 중 ${covered.length}개 충족 (+${requirementPoints})`
          : `${covered.length} of the posting's ${asked.length} requirement(s) on it covered (+${requirementPoints})`,
      );
    else if (evidencePoints > 0)
      reasons.push(
        ko
          ? '공고에 이 역량의 요건이 없어 80점 만점을 100점으로 환산'
          : 'no posting requirement on it, so scaled from 80 to 100',
      );
    const reason = reasons.length
      ? reasons.join('; ')
      : ko
        ? `포트폴리오에서 ${name}의 근거(관련 기술, 서술, 수치)를 찾지 못했습니다`
        : `No evidence of ${name} (skills, statements, numbers) found in the portfolio`;

    // Actions from what is missing, most specific first.
    const actions: string[] = [];
    const missingSkills = relevantSkills(postingSkills).filter((skill) => !portfolioSkills.includes(skill));
    for (const skill of missingSkills.slice(0, 2))
      actions.push(
        ko
          ? `공고가 요구하는 ${skill}: 작은 기능이라도 ${withParticle(skill, '으로/로') ?? `${skill} 기반으로`} 직접 만들어 보고, 맡은 부분과 결과를 포트폴리오에 적으세요.`
          : `The posting asks for ${skill}: build one feature with it yourself and write up your part and the result in the portfolio.`,
      );
    for (const line of uncovered.slice(0, 2))
      actions.push(
        ko
          ? `공고 요건 ${quote(line)}에 대응하는 경험을 한 줄로 추가하세요(상황, 한 일, 결과).`
          : `Add a line that answers the posting's requirement ${quote(line)} (situation, what you did, result).`,
      );
    if (!measured)
      actions.push(
        ko
          ? `${withParticle(name, '을/를') ?? `${name} 역량을`} 보여 주는 프로젝트 설명에 측정한 결과를 수치로 넣으세요(예: 개선 전후 응답 시간, 처리량, 오류율).`
          : `Give a project line about ${name} a measured result (e.g. response time, throughput or error rate before and after).`,
      );
    if (statements.length < SCORE_PARTS.maxStatements)
      actions.push(
        ko
          ? `${withParticle(name, '을/를') ?? `${name} 역량을`} 발휘한 작업을 구체적으로 서술하세요(예: ${capability.words.slice(0, 3).join(', ')}에 관해 무엇을 했는지).`
          : `Describe work that shows ${name} in your own words (what you did about ${capability.words.slice(0, 3).join(', ')}).`,
      );
    if (capability.skills !== '*' && counted.length < SCORE_PARTS.maxSkills) {
      const toLearn = capability.skills.filter(
        (skill) => !portfolioSkills.includes(skill) && !missingSkills.includes(skill),
      );
      if (toLearn.length)
        actions.push(
          ko
            ? `${toLearn.slice(0, 2).join(', ')} 사용 경험이 있다면 포트폴리오에 명시하세요.`
            : `If you have used ${toLearn.slice(0, 2).join(' or ')}, name it in the portfolio.`,
        );
    }
    const action_items = actions.slice(0, 3);
    const feedback =
      score >= 80
        ? ko
          ? `${name}의 근거가 충분합니다. 면접에서는 ${counted[0] ?? '대표 프로젝트'} 경험을 수치와 함께 설명해 보세요.`
          : `${name} is well evidenced. In the interview, explain your ${counted[0] ?? 'main project'} work with its numbers.`
        : (action_items[0] ?? reason);
    return { capability_index: index + 1, score, reason, feedback, action_items };
  });
}
