import { findFillers, wordsOf } from '../src/analysis/speech/fillers.ts';
for (const s of ['저는 그리고 아마 어떻게 음악을 좋아합니다', '음, 저는 그 결과를 보고 어... 그러니까 막 시작했을 때 그… 힘들었어요', '저 사람은 뭐가 좋아요? 아 네', '그, 그러니까 저어 제가 어어 했습니다', 'Um, I was, like, really into it, you know, and I like Python', 'Do you know the answer? Uh I think so. It looks like rain. Hmm.', '뭐 그냥 했어요. 막…', '그 음 저는']) {
  console.log(s, '=>', JSON.stringify(findFillers(wordsOf(s)).map((f) => f.word)));
}
