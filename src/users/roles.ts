// The job roles a candidate can choose, as the original web client offers them, with the labels a
// client shows and the focus of each role's own interview question (used by the question generator).
// ROLE_AI, the original backend's third role, stays accepted for accounts that have it.
export const ROLES = {
  ROLE_FE: {
    ko: '프론트엔드 개발',
    en: 'Frontend development',
    focus_ko: '웹 성능과 사용자 경험',
    focus_en: 'web performance and user experience',
  },
  ROLE_BE: {
    ko: '백엔드 개발',
    en: 'Backend development',
    focus_ko: 'API 설계와 확장성',
    focus_en: 'API design and scalability',
  },
  ROLE_FULLSTACK: {
    ko: '풀스택 개발',
    en: 'Full-stack development',
    focus_ko: '프런트엔드와 백엔드를 잇는 설계',
    focus_en: 'design across frontend and backend',
  },
  ROLE_MOBILE: {
    ko: '모바일 앱 개발',
    en: 'Mobile app development',
    focus_ko: '앱 성능과 오프라인 동작',
    focus_en: 'app performance and offline behaviour',
  },
  ROLE_CLOUD: {
    ko: '클라우드·인프라',
    en: 'Cloud and infrastructure',
    focus_ko: '배포 자동화와 장애 대응',
    focus_en: 'deployment automation and incident response',
  },
  ROLE_DATA: {
    ko: '데이터 엔지니어링',
    en: 'Data engineering',
    focus_ko: '데이터 파이프라인의 품질과 신뢰성',
    focus_en: 'data pipeline quality and reliability',
  },
  ROLE_ML: {
    ko: '머신러닝 엔지니어링',
    en: 'Machine learning engineering',
    focus_ko: '모델 성능 평가와 서비스 적용',
    focus_en: 'model evaluation and serving',
  },
  ROLE_AI: {
    ko: 'AI 개발',
    en: 'AI development',
    focus_ko: '모델 성능 평가와 서비스 적용',
    focus_en: 'model evaluation and serving',
  },
  ROLE_PM: {
    ko: '프로덕트 매니저',
    en: 'Product management',
    focus_ko: '우선순위 결정과 지표 기반 의사결정',
    focus_en: 'prioritisation and metric-driven decisions',
  },
  ROLE_DESIGN: {
    ko: 'UI/UX 디자인',
    en: 'UI/UX design',
    focus_ko: '사용자 조사와 디자인 검증',
    focus_en: 'user research and design validation',
  },
  ROLE_QA: {
    ko: 'QA·테스트',
    en: 'QA and testing',
    focus_ko: '테스트 전략과 결함 예방',
    focus_en: 'test strategy and defect prevention',
  },
  ROLE_SECURITY: {
    ko: '보안',
    en: 'Security',
    focus_ko: '위협 분석과 취약점 대응',
    focus_en: 'threat analysis and vulnerability response',
  },
  ROLE_DBA: {
    ko: '데이터베이스 관리(DBA)',
    en: 'Database administration',
    focus_ko: '쿼리 튜닝과 백업·복구',
    focus_en: 'query tuning and backup and recovery',
  },
  ROLE_BLOCKCHAIN: {
    ko: '블록체인 개발',
    en: 'Blockchain development',
    focus_ko: '스마트 컨트랙트 보안과 가스 비용',
    focus_en: 'smart contract security and gas costs',
  },
  ROLE_GAME: {
    ko: '게임 개발',
    en: 'Game development',
    focus_ko: '프레임 성능과 게임 루프 설계',
    focus_en: 'frame performance and game loop design',
  },
} as const satisfies Record<string, { ko: string; en: string; focus_ko: string; focus_en: string }>;

export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];
/** Kept for accounts made under the original backend; the original web client does not offer it. */
export const LEGACY_ROLES: RoleName[] = ['ROLE_AI'];

export const LEVELS = {
  LEVEL_JUNIOR: { ko: '주니어', en: 'Junior' },
  LEVEL_MID: { ko: '미들', en: 'Mid-level' },
  LEVEL_SENIOR: { ko: '시니어', en: 'Senior' },
} as const;

export const isRole = (value: string | null | undefined): value is RoleName =>
  typeof value === 'string' && Object.hasOwn(ROLES, value);
