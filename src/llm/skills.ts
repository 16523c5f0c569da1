// A maintained vocabulary of skills, tools and practices seen in Korean and English job postings, for
// the offline question generator. Each entry: the name to say, and the spellings to find.
export const SKILLS: Array<{ name: string; match: string[] }> = [
  { name: 'Java', match: ['java', '자바'] },
  { name: 'Kotlin', match: ['kotlin', '코틀린'] },
  { name: 'Spring Boot', match: ['spring boot', 'springboot', '스프링 부트', '스프링부트'] },
  { name: 'Spring', match: ['spring', '스프링'] },
  { name: 'JPA', match: ['jpa', 'hibernate'] },
  { name: 'QueryDSL', match: ['querydsl'] },
  { name: 'MyBatis', match: ['mybatis'] },
  { name: 'Python', match: ['python', '파이썬'] },
  { name: 'Django', match: ['django'] },
  { name: 'FastAPI', match: ['fastapi'] },
  { name: 'Flask', match: ['flask'] },
  { name: 'Node.js', match: ['node.js', 'nodejs', 'node'] },
  { name: 'NestJS', match: ['nestjs', 'nest.js'] },
  { name: 'Express', match: ['express'] },
  { name: 'TypeScript', match: ['typescript', '타입스크립트'] },
  { name: 'JavaScript', match: ['javascript', '자바스크립트'] },
  { name: 'React', match: ['react', '리액트'] },
  { name: 'React Native', match: ['react native', 'react-native'] },
  { name: 'Next.js', match: ['next.js', 'nextjs'] },
  { name: 'Vue', match: ['vue', 'vue.js', '뷰'] },
  { name: 'Angular', match: ['angular'] },
  { name: 'Go', match: ['golang', 'go언어', 'go 언어'] },
  { name: 'Rust', match: ['rust'] },
  { name: 'C++', match: ['c++'] },
  { name: 'C#', match: ['c#', '.net'] },
  { name: 'Swift', match: ['swift', 'ios'] },
  { name: 'Android', match: ['android', '안드로이드'] },
  { name: 'Flutter', match: ['flutter', '플러터'] },
  { name: 'MySQL', match: ['mysql'] },
  { name: 'PostgreSQL', match: ['postgresql', 'postgres'] },
  { name: 'Oracle', match: ['oracle'] },
  { name: 'MongoDB', match: ['mongodb', 'mongo'] },
  { name: 'Redis', match: ['redis', '레디스'] },
  { name: 'Elasticsearch', match: ['elasticsearch', 'elastic search', '엘라스틱서치'] },
  { name: 'Kafka', match: ['kafka', '카프카'] },
  { name: 'RabbitMQ', match: ['rabbitmq'] },
  { name: 'AWS', match: ['aws', 'amazon web services'] },
  { name: 'GCP', match: ['gcp', 'google cloud'] },
  { name: 'Azure', match: ['azure'] },
  { name: 'Docker', match: ['docker', '도커'] },
  { name: 'Kubernetes', match: ['kubernetes', 'k8s', '쿠버네티스'] },
  { name: 'Terraform', match: ['terraform'] },
  { name: 'CI/CD', match: ['ci/cd', 'cicd', 'jenkins', 'github actions'] },
  { name: 'Linux', match: ['linux', '리눅스'] },
  { name: 'Git', match: ['git', 'github', 'gitlab'] },
  { name: 'REST API', match: ['rest api', 'restful'] },
  { name: 'GraphQL', match: ['graphql'] },
  { name: 'gRPC', match: ['grpc'] },
  { name: 'MSA', match: ['msa', 'microservice', 'microservices', '마이크로서비스'] },
  { name: '대용량 트래픽 처리', match: ['대용량 트래픽', '대규모 트래픽', 'high traffic', 'large-scale traffic'] },
  { name: '성능 최적화', match: ['성능 최적화', '성능 개선', 'performance optimization'] },
  { name: '테스트 자동화', match: ['테스트 자동화', 'tdd', '단위 테스트', 'unit test', 'test automation'] },
  { name: '데이터 파이프라인', match: ['데이터 파이프라인', 'data pipeline', 'etl', 'airflow'] },
  { name: 'Spark', match: ['spark', 'hadoop'] },
  { name: 'SQL', match: ['sql'] },
  { name: 'PyTorch', match: ['pytorch', '파이토치'] },
  { name: 'TensorFlow', match: ['tensorflow', '텐서플로'] },
  { name: '머신러닝', match: ['머신러닝', 'machine learning', '기계학습'] },
  { name: '딥러닝', match: ['딥러닝', 'deep learning'] },
  { name: 'LLM', match: ['llm', '대규모 언어 모델', 'large language model'] },
  { name: 'RAG', match: ['rag', 'retrieval-augmented'] },
  { name: 'MLOps', match: ['mlops'] },
  { name: 'Figma', match: ['figma', '피그마'] },
  { name: 'HTML/CSS', match: ['html', 'css'] },
  { name: '웹 접근성', match: ['웹 접근성', 'accessibility', 'a11y'] },
  { name: 'OAuth', match: ['oauth', 'jwt', '인증'] },
  { name: '보안', match: ['보안', 'security'] },
  { name: 'Nginx', match: ['nginx'] },
  { name: '모니터링', match: ['모니터링', 'monitoring', 'prometheus', 'grafana', 'datadog'] },
];

const ASCII = /^[\x20-\x7e]+$/;

function occurrences(text: string, spelling: string): number[] {
  const lower = text.toLowerCase();
  const positions: number[] = [];
  for (let at = lower.indexOf(spelling); at !== -1; at = lower.indexOf(spelling, at + 1)) {
    // Latin spellings must stand as words (so "go" is not found in "good", "rest" not in "interest").
    const before = lower[at - 1] ?? ' ';
    const after = lower[at + spelling.length] ?? ' ';
    if (ASCII.test(spelling) && (/[a-z0-9+#]/.test(before) || /[a-z0-9+#]/.test(after))) continue;
    // Hangul spellings must start a word (particles may follow), so 뷰 is not found in 리뷰 or 인터뷰.
    if (!ASCII.test(spelling) && /[\uAC00-\uD7A3]/u.test(before)) continue;
    positions.push(at);
  }
  return positions;
}

/** The skills a text names, most mentioned first, ties in order of first mention. */
export function findSkills(text: string): string[] {
  const found: Array<{ name: string; count: number; first: number }> = [];
  const taken: Array<[number, number]> = [];
  // Longer spellings first, so "spring boot" claims its words before "spring" does.
  const spellings = SKILLS.flatMap((skill) => skill.match.map((spelling) => ({ skill: skill.name, spelling })));
  spellings.sort((a, b) => b.spelling.length - a.spelling.length);
  for (const { skill, spelling } of spellings) {
    for (const at of occurrences(text, spelling)) {
      if (taken.some(([start, end]) => at < end && at + spelling.length > start)) continue;
      taken.push([at, at + spelling.length]);
      const entry = found.find((f) => f.name === skill);
      if (entry) {
        entry.count += 1;
        entry.first = Math.min(entry.first, at);
      } else {
        found.push({ name: skill, count: 1, first: at });
      }
    }
  }
  return found.sort((a, b) => b.count - a.count || a.first - b.first).map((f) => f.name);
}
