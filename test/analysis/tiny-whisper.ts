// A tiny Whisper model with scripted behaviour, written as real ONNX files and Hugging Face configs in
// the layout transformers.js loads, so the whisper engine can be tested end to end without weights
// from a hub. Its decoder is a "conditional bigram" machine: the next token depends on the current
// token and on which marker tokens appear anywhere earlier in the context (kept in the KV cache), so
// what is in the prompt and which language token was chosen change the transcript as they would for
// a real model that imitates its prompt:
//   <|startoftranscript|> → <|ko|> (language detection prefers Korean; <|en|> comes second)
//   Korean:  <|0.00|> 안녕하세요 저는 개발자입니다 <|2.00|>
//   English: <|0.00|> hello everyone <|1.50|>
//   A prompt holding the filler " 음" (or " um") makes the model say it first, as Whisper keeps the
//   fillers it was shown.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto, { type onnx as proto } from 'onnx-proto';

const { onnx } = onnxProto;

/** GPT-2's byte-to-character table, used by Whisper's byte-level BPE. */
function byteLevelChars(): string[] {
  const printable = [
    ...Array.from({ length: 94 }, (_, i) => 33 + i),
    ...Array.from({ length: 12 }, (_, i) => 161 + i),
    ...Array.from({ length: 82 }, (_, i) => 174 + i),
  ];
  const chars: string[] = [];
  let extra = 0;
  for (let byte = 0; byte < 256; byte++) {
    chars[byte] = String.fromCharCode(printable.includes(byte) ? byte : 256 + extra++);
  }
  return chars;
}

const WORDS = [' 음', ' 안녕하세요', ' 저는', ' 개발자입니다', ' um', ' hello', ' everyone'] as const;
type Word = (typeof WORDS)[number];

interface Vocabulary {
  ids: Map<string, number>;
  merges: [string, string][];
  word: (word: Word) => number;
  special: (token: string) => number;
  timestamp: (seconds: number) => number;
  size: number;
}

function buildVocabulary(): Vocabulary {
  const chars = byteLevelChars();
  const ids = new Map<string, number>();
  chars.forEach((char) => ids.set(char, ids.size));
  const merges: [string, string][] = [];
  const encoded = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => chars[byte]!);
  for (const word of WORDS) {
    // Each word is built left to right, one byte at a time: a merge chain that no other word disturbs.
    const pieces = encoded(word);
    let left = pieces[0]!;
    for (const piece of pieces.slice(1)) {
      const merged = left + piece;
      if (!ids.has(merged)) {
        merges.push([left, piece]);
        ids.set(merged, ids.size);
      }
      left = merged;
    }
  }
  const specials = [
    '<|endoftext|>',
    '<|startoftranscript|>',
    '<|en|>',
    '<|ko|>',
    '<|translate|>',
    '<|transcribe|>',
    '<|startoflm|>',
    '<|startofprev|>',
    '<|nospeech|>',
    '<|notimestamps|>',
    ...Array.from({ length: 1501 }, (_, i) => `<|${(i * 0.02).toFixed(2)}|>`),
  ];
  const firstSpecial = ids.size;
  specials.forEach((token) => ids.set(token, ids.size));
  const id = (token: string) => {
    const found = ids.get(token);
    if (found === undefined) throw new Error(`no token ${token}`);
    return found;
  };
  return {
    ids,
    merges,
    word: (word) => id(encoded(word).join('')),
    special: id,
    timestamp: (seconds) => id('<|notimestamps|>') + 1 + Math.round(seconds / 0.02),
    size: firstSpecial + specials.length,
  };
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function floatTensor(name: string, dims: number[], values: Float32Array): proto.ITensorProto {
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer) };
}
function int64Tensor(name: string, dims: number[], values: number[]): proto.ITensorProto {
  return { name, dims, dataType: INT64, rawData: new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer) };
}
function valueInfo(name: string, elemType: number, dims: (number | string)[]): proto.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) },
      },
    },
  };
}
function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: proto.IAttributeProto[] = [],
): proto.INodeProto {
  return { opType, input, output, attribute, name: output[0] };
}
function ints(name: string, values: number[]): proto.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: values };
}
function int(name: string, value: number): proto.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}
function model(graph: proto.IGraphProto): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.fromObject({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      producerName: 'tiny-whisper',
      graph,
    }),
  ).finish();
}

/** Encoder: log-mel [batch, 80, 3000] → a [batch, 1500, 1] state (the decoder does not read it). */
function encoder(): Uint8Array {
  return model({
    name: 'encoder',
    input: [valueInfo('input_features', FLOAT, ['batch_size', 80, 3000])],
    output: [valueInfo('last_hidden_state', FLOAT, ['batch_size', 1500, 1])],
    initializer: [int64Tensor('pairs', [3], [-1, 1500, 2])],
    node: [
      node('ReduceMean', ['input_features'], ['frame_mean'], [ints('axes', [1]), int('keepdims', 0)]),
      node('Reshape', ['frame_mean', 'pairs'], ['paired']),
      node('ReduceMean', ['paired'], ['last_hidden_state'], [ints('axes', [2]), int('keepdims', 1)]),
    ],
  });
}

/** Markers remembered in the cache: the decoder changes its mind when one of them has been seen. */
const MARKERS = ['ko_filler', 'en_filler', 'english'] as const;

function decoder(vocab: Vocabulary): Uint8Array {
  const V = vocab.size;
  const C = MARKERS.length;
  const W = vocab.word;
  const S = vocab.special;
  const T = vocab.timestamp;
  // Rows ("states"): the tokens with a rule of their own; every other token ends the transcript.
  const rules: {
    token: number;
    next: number;
    when?: Partial<Record<(typeof MARKERS)[number], [number, number][]>>;
    extra?: [number, number][];
  }[] = [
    { token: S('<|startoftranscript|>'), next: S('<|ko|>'), extra: [[S('<|en|>'), 10]] },
    { token: S('<|ko|>'), next: S('<|transcribe|>') },
    { token: S('<|en|>'), next: S('<|transcribe|>') },
    { token: S('<|transcribe|>'), next: T(0) },
    {
      token: T(0),
      next: W(' 안녕하세요'),
      when: { english: [[W(' hello'), 30]], ko_filler: [[W(' 음'), 40]], en_filler: [[W(' um'), 50]] },
    },
    { token: W(' 음'), next: W(' 안녕하세요') },
    { token: W(' 안녕하세요'), next: W(' 저는') },
    { token: W(' 저는'), next: W(' 개발자입니다') },
    { token: W(' 개발자입니다'), next: T(2) },
    { token: W(' um'), next: W(' hello') },
    { token: W(' hello'), next: W(' everyone') },
    { token: W(' everyone'), next: T(1.5) },
  ];
  const R = rules.length + 1; // the last row ends the transcript
  const stateOf = new Array<number>(V).fill(R - 1);
  const base = new Float32Array(R * V);
  const deltas = new Float32Array(R * C * V);
  rules.forEach((rule, row) => {
    stateOf[rule.token] = row;
    base[row * V + rule.next] = 20;
    for (const [token, logit] of rule.extra ?? []) base[row * V + token] = logit;
    MARKERS.forEach((marker, channel) => {
      for (const [token, logit] of rule.when?.[marker] ?? []) deltas[(row * C + channel) * V + token] = logit;
    });
  });
  base[(R - 1) * V + S('<|endoftext|>')] = 20;
  const markerOf = new Float32Array(V * C);
  markerOf[W(' 음') * C + 0] = 1;
  markerOf[W(' um') * C + 1] = 1;
  markerOf[S('<|en|>') * C + 2] = 1;

  return model({
    name: 'decoder',
    input: [
      valueInfo('input_ids', INT64, ['batch_size', 'decoder_sequence_length']),
      valueInfo('past_key_values.0.decoder.key', FLOAT, ['batch_size', 1, 'past_decoder_sequence_length', C]),
    ],
    output: [
      valueInfo('logits', FLOAT, ['batch_size', 'decoder_sequence_length', V]),
      valueInfo('present.0.decoder.key', FLOAT, ['batch_size', 1, 'present_decoder_sequence_length', C]),
    ],
    initializer: [
      int64Tensor('state_of', [V], stateOf),
      floatTensor('base', [R, V], base),
      floatTensor('deltas', [R, C, V], deltas),
      floatTensor('marker_of', [V, C], markerOf),
      int64Tensor('axis_1', [1], [1]),
      int64Tensor('axis_2', [1], [2]),
    ],
    node: [
      // Cache: one row of markers per token seen so far.
      node('Gather', ['marker_of', 'input_ids'], ['markers']),
      node('Unsqueeze', ['markers', 'axis_1'], ['markers_4d']),
      node('Concat', ['past_key_values.0.decoder.key', 'markers_4d'], ['present.0.decoder.key'], [int('axis', 2)]),
      node('ReduceMax', ['present.0.decoder.key'], ['seen'], [ints('axes', [2]), int('keepdims', 1)]), // [b,1,1,C]
      // Logits: the current token's row, plus the changes for the markers seen.
      node('Gather', ['state_of', 'input_ids'], ['states']),
      node('Gather', ['base', 'states'], ['base_logits']), // [b,s,V]
      node('Gather', ['deltas', 'states'], ['state_deltas']), // [b,s,C,V]
      node('MatMul', ['seen', 'state_deltas'], ['marker_logits_4d']), // [b,s,1,V]
      node('Squeeze', ['marker_logits_4d', 'axis_2'], ['marker_logits']),
      node('Add', ['base_logits', 'marker_logits'], ['logits']),
    ],
  });
}

/** Writes the model folder: configs, tokenizer and the two ONNX files. */
export async function writeTinyWhisper(dir: string): Promise<void> {
  const vocab = buildVocabulary();
  await mkdir(join(dir, 'onnx'), { recursive: true });
  // As in Whisper's own tokenizer, timestamps are added tokens but not special ones.
  const added = (token: string) => ({
    id: vocab.special(token),
    content: token,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: !/^<\|\d+\.\d\d\|>$/.test(token),
  });
  const addedTokens = [...vocab.ids.keys()].filter((token) => token.startsWith('<|'));
  const vocabObject = Object.fromEntries([...vocab.ids].filter(([token]) => !token.startsWith('<|')));
  const langToId = { '<|en|>': vocab.special('<|en|>'), '<|ko|>': vocab.special('<|ko|>') };
  const files: Record<string, unknown> = {
    'config.json': {
      model_type: 'whisper',
      architectures: ['WhisperForConditionalGeneration'],
      is_encoder_decoder: true,
      vocab_size: vocab.size,
      num_mel_bins: 80,
      d_model: MARKERS.length,
      encoder_layers: 1,
      encoder_attention_heads: 1,
      decoder_layers: 1,
      decoder_attention_heads: 1,
      max_source_positions: 1500,
      max_target_positions: 448,
      decoder_start_token_id: vocab.special('<|startoftranscript|>'),
      eos_token_id: vocab.special('<|endoftext|>'),
      pad_token_id: vocab.special('<|endoftext|>'),
      bos_token_id: vocab.special('<|endoftext|>'),
    },
    'generation_config.json': {
      decoder_start_token_id: vocab.special('<|startoftranscript|>'),
      eos_token_id: vocab.special('<|endoftext|>'),
      pad_token_id: vocab.special('<|endoftext|>'),
      bos_token_id: vocab.special('<|endoftext|>'),
      no_timestamps_token_id: vocab.special('<|notimestamps|>'),
      prev_sot_token_id: vocab.special('<|startofprev|>'),
      is_multilingual: true,
      lang_to_id: langToId,
      task_to_id: { transcribe: vocab.special('<|transcribe|>'), translate: vocab.special('<|translate|>') },
      max_initial_timestamp_index: 50,
      max_length: 448,
      suppress_tokens: [],
      begin_suppress_tokens: [],
    },
    'preprocessor_config.json': {
      chunk_length: 30,
      feature_extractor_type: 'WhisperFeatureExtractor',
      feature_size: 80,
      hop_length: 160,
      n_fft: 400,
      n_samples: 480000,
      nb_max_frames: 3000,
      padding_side: 'right',
      padding_value: 0,
      processor_class: 'WhisperProcessor',
      return_attention_mask: false,
      sampling_rate: 16000,
    },
    'tokenizer_config.json': {
      tokenizer_class: 'WhisperTokenizer',
      bos_token: '<|endoftext|>',
      eos_token: '<|endoftext|>',
      unk_token: '<|endoftext|>',
      pad_token: '<|endoftext|>',
      model_max_length: 1024,
      clean_up_tokenization_spaces: true,
    },
    'tokenizer.json': {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens.map(added),
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: null,
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: '',
        end_of_word_suffix: '',
        fuse_unk: false,
        byte_fallback: false,
        vocab: vocabObject,
        merges: vocab.merges.map(([left, right]) => `${left} ${right}`),
      },
    },
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(content));
  await writeFile(join(dir, 'onnx', 'encoder_model_quantized.onnx'), encoder());
  await writeFile(join(dir, 'onnx', 'decoder_model_merged_quantized.onnx'), decoder(vocab));
}
