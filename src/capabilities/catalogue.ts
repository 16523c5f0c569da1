// The six capabilities scored for each role (the original's, for FE, BE and AI; ROLE_ML shares the AI
// set; every other role, and a profile without one, gets the general set), and the evidence each is
// recognised by: skills of the shared vocabulary (src/llm/skills.ts) and words of its own.
import type { Lang } from '../config.ts';

export interface Capability {
  en: string;
  ko: string;
  /** Skill names from SKILLS that show it; `*` = any skill of the vocabulary. */
  skills: string[] | '*';
  /** Words that show it (lower case; Latin ones must start a word). */
  words: string[];
}

const C = {
  technical: {
    en: 'Technical Skills',
    ko: '기술 역량',
    skills: '*',
    words: ['구현', '개발', 'implemented', 'built', 'developed'],
  },
  uiux: {
    en: 'UI/UX Design',
    ko: 'UI/UX 설계',
    skills: ['React', 'Vue', 'Angular', 'Next.js', 'Figma', 'HTML/CSS', '웹 접근성'],
    words: [
      'ui',
      'ux',
      '디자인',
      '사용자 경험',
      '사용성',
      '반응형',
      'responsive',
      'design system',
      '디자인 시스템',
      'usability',
    ],
  },
  performance: {
    en: 'Performance Optimization',
    ko: '성능 최적화',
    skills: ['성능 최적화', '대용량 트래픽 처리', 'Redis'],
    words: [
      '성능',
      '최적화',
      '속도',
      '지연',
      '캐시',
      '캐싱',
      'performance',
      'optimiz',
      'latency',
      'cache',
      'lighthouse',
      '번들',
    ],
  },
  problemSolving: {
    en: 'Problem Solving',
    ko: '문제 해결',
    skills: [],
    words: [
      '문제',
      '해결',
      '원인',
      '디버깅',
      '장애',
      'troubleshoot',
      'debug',
      'solved',
      'resolved',
      'root cause',
      'fixed',
    ],
  },
  communication: {
    en: 'Communication',
    ko: '커뮤니케이션',
    skills: [],
    words: [
      '커뮤니케이션',
      '소통',
      '발표',
      '문서화',
      '협의',
      '멘토',
      'communicat',
      'present',
      'documentation',
      'documented',
      'stakeholder',
      'mentor',
    ],
  },
  adaptability: {
    en: 'Adaptability',
    ko: '적응력',
    skills: [],
    words: ['새로운', '학습', '전환', '도입', '마이그레이션', 'migrat', 'learned', 'adopted', 'introduced'],
  },
  systemDesign: {
    en: 'System Design',
    ko: '시스템 설계',
    skills: ['MSA', 'Kafka', 'RabbitMQ', '대용량 트래픽 처리', 'Kubernetes'],
    words: [
      '아키텍처',
      '설계',
      '확장성',
      '분산',
      '이벤트',
      'architect',
      'scalab',
      'distributed',
      'system design',
      'event-driven',
    ],
  },
  database: {
    en: 'Database Management',
    ko: '데이터베이스 관리',
    skills: ['MySQL', 'PostgreSQL', 'Oracle', 'MongoDB', 'Redis', 'SQL', 'JPA', 'QueryDSL', 'MyBatis', 'Elasticsearch'],
    words: [
      '데이터베이스',
      '쿼리',
      '인덱스',
      '트랜잭션',
      '샤딩',
      'database',
      'query',
      'index',
      'transaction',
      'sharding',
      'replication',
    ],
  },
  api: {
    en: 'API Design',
    ko: 'API 설계',
    skills: ['REST API', 'GraphQL', 'gRPC', 'OAuth', 'Spring Boot', 'FastAPI', 'NestJS', 'Express', 'Django'],
    words: ['api', '엔드포인트', 'endpoint', 'swagger', 'openapi'],
  },
  security: {
    en: 'Security',
    ko: '보안',
    skills: ['OAuth', '보안'],
    words: [
      '보안',
      '인증',
      '인가',
      '암호화',
      '취약점',
      'security',
      'authenticat',
      'authoriz',
      'encrypt',
      'vulnerab',
      'owasp',
      'xss',
      'csrf',
    ],
  },
  devops: {
    en: 'DevOps',
    ko: '데브옵스',
    skills: ['Docker', 'Kubernetes', 'CI/CD', 'AWS', 'GCP', 'Azure', 'Terraform', 'Linux', 'Nginx', '모니터링'],
    words: ['배포', '자동화', '인프라', 'deploy', 'infrastructure', 'devops'],
  },
  modelDevelopment: {
    en: 'Model Development',
    ko: '모델 개발',
    skills: ['PyTorch', 'TensorFlow', '머신러닝', '딥러닝', 'LLM', 'RAG'],
    words: ['모델', '파인튜닝', '정확도', 'model', 'training', 'fine-tun', 'accuracy'],
  },
  dataProcessing: {
    en: 'Data Processing',
    ko: '데이터 처리',
    skills: ['데이터 파이프라인', 'Spark', 'SQL', 'Kafka'],
    words: ['데이터', '전처리', '정제', '크롤링', 'data', 'preprocess', 'pandas', 'numpy'],
  },
  math: {
    en: 'Math & Statistics',
    ko: '수학/통계',
    skills: [],
    words: [
      '통계',
      '수학',
      '확률',
      '선형대수',
      '회귀',
      '가설 검정',
      'statistic',
      'probabilit',
      'linear algebra',
      'regression',
      'a/b',
      'hypothesis',
    ],
  },
  research: {
    en: 'Research Ability',
    ko: '연구 능력',
    skills: [],
    words: ['논문', '연구', '실험', '학회', 'paper', 'research', 'experiment', 'arxiv', 'conference', 'benchmark'],
  },
  mlops: {
    en: 'MLOps',
    ko: 'MLOps',
    skills: ['MLOps', 'Docker', 'Kubernetes', 'CI/CD', '모니터링'],
    words: ['서빙', '배포', 'serving', 'deploy', 'mlflow', 'kubeflow'],
  },
  collaboration: {
    en: 'Collaboration',
    ko: '협업',
    skills: ['Git'],
    words: ['협업', '팀', '코드 리뷰', '페어', 'collaborat', 'team', 'code review', 'pair'],
  },
  delivery: {
    en: 'Project Delivery',
    ko: '프로젝트 수행',
    skills: [],
    words: ['출시', '런칭', '운영', '완료', '일정', 'launched', 'shipped', 'delivered', 'deadline', 'released'],
  },
} satisfies Record<string, Capability>;

const FE = [C.technical, C.uiux, C.performance, C.problemSolving, C.communication, C.adaptability];
const BE = [C.technical, C.systemDesign, C.database, C.api, C.security, C.devops];
const AI = [C.technical, C.modelDevelopment, C.dataProcessing, C.math, C.research, C.mlops];
/** Roles without a set of their own (and profiles without a role). */
export const GENERAL = [C.technical, C.problemSolving, C.communication, C.collaboration, C.delivery, C.adaptability];

const BY_ROLE: Record<string, Capability[]> = { ROLE_FE: FE, ROLE_BE: BE, ROLE_AI: AI, ROLE_ML: AI };

export function capabilitiesFor(role: string | null): Capability[] {
  return (role && BY_ROLE[role]) || GENERAL;
}

export const nameIn = (capability: Capability, lang: Lang) => (lang === 'ko' ? capability.ko : capability.en);
