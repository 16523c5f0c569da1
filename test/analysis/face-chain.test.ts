// The ONNX face chain against Human itself (the engine it replaced) on the same decoded frames: the
// figures the service reports must not move. Also the converter's refusal of what it does not know.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { faceFeatures } from '../../src/analysis/face-features.ts';
import { loadFaceChain } from '../../src/analysis/face/chain.ts';
import { loadHumanFaceModel } from './human-face.ts';
import { tfjsToOnnx } from '../../src/analysis/face/tfjs-to-onnx.ts';
import { probe, readFrames, type Frame } from '../../src/analysis/media.ts';
import {
  CONTEXT,
  filtered,
  median,
  scratchDir,
  TALKING_FEMALE,
  TALKING_MALE,
  WEBCAM_EXPRESSIONS,
} from './media-helpers.ts';

async function decode(file: string): Promise<Frame[]> {
  const info = await probe(file, CONTEXT.tools);
  const { analysis_fps: fps, frame_max_side_px: maxSide } = CONTEXT.thresholds;
  const frames: Frame[] = [];
  for await (const frame of readFrames(file, info, { fps, maxSide }, CONTEXT.tools)) frames.push(frame);
  return frames;
}

async function compare(file: string) {
  const frames = await decode(file);
  const human = await loadHumanFaceModel();
  const chain = await loadFaceChain();
  human.reset(); // Human's tracking lives in its module, shared by every instance
  const differences = { yaw: [] as number[], pitch: [] as number[], roll: [] as number[], smile: [] as number[] };
  const meshShift: number[] = [];
  let disagreements = 0;
  let bothFound = 0;
  for (const frame of frames) {
    const reference = await human.detect(frame);
    const ours = await chain.detect(frame);
    if (!reference !== !ours) disagreements++;
    if (!reference || !ours) continue;
    bothFound++;
    const a = faceFeatures(reference, CONTEXT.thresholds);
    const b = faceFeatures(ours, CONTEXT.thresholds);
    for (const key of ['yaw', 'pitch', 'roll', 'smile'] as const) differences[key].push(Math.abs(a[key]! - b[key]!));
    meshShift.push(median(reference.mesh.map((p, i) => Math.hypot(p[0] - ours.mesh[i]![0], p[1] - ours.mesh[i]![1]))));
  }
  return { frames: frames.length, bothFound, disagreements, differences, meshShift };
}

describe('the ONNX face chain gives Human’s figures', () => {
  const made = (name: string, filter: string) => (dir: string) =>
    filtered(TALKING_MALE, filter, join(dir, `${name}.mp4`));
  // [name, the video, the least share of frames with a face]
  const cases: Array<[string, (dir: string) => Promise<string>, number]> = [
    ['talking head', async () => TALKING_FEMALE, 0.8],
    ['webcam with expressions (smiles)', async () => WEBCAM_EXPRESSIONS, 0.8],
    ['a head rolled 15° (the chain turns the crop upright)', made('rolled', 'rotate=-15*PI/180'), 0.8],
    [
      'a face that leaves the picture and comes back (tracking lost, detector again)',
      made('panned', "pad=4*iw:ih:iw:0,crop=in_w/4:in_h:x='in_w/4*(1+1.2*abs(sin(PI*t/2.5)))':y=0"),
      0.2,
    ],
  ];
  for (const [name, make, share] of cases) {
    test(name, async (t) => {
      const file = await make(await scratchDir(t));
      const { frames, bothFound, disagreements, differences, meshShift } = await compare(file);
      assert.ok(bothFound >= frames * share, `a face in both on ${bothFound} of ${frames} frames`);
      if (share < 0.5) assert.ok(bothFound < frames * 0.5, `the face left the picture: found on ${bothFound}`);
      assert.equal(disagreements, 0, 'one finds a face where the other does not');
      // Every frame, not a median: the chain repeats Human's arithmetic, so only float rounding may differ.
      for (const key of ['yaw', 'pitch', 'roll'] as const) {
        const largest = Math.max(...differences[key]);
        assert.ok(largest < 1, `${key}: a frame differs by ${largest}°`);
      }
      assert.ok(Math.max(...differences.smile) < 0.02, `smile: a frame differs by ${Math.max(...differences.smile)}`);
      assert.ok(median(meshShift) <= 1, `mesh points moved by ${median(meshShift)} px (median)`);
    });
  }
});

describe('tfjsToOnnx', () => {
  test('refuses an op it does not convert, by name', () => {
    const model = {
      modelTopology: {
        node: [
          {
            name: 'input',
            op: 'Placeholder',
            attr: { shape: { shape: { dim: [{ size: '1' }, { size: '8' }, { size: '8' }, { size: '3' }] } } },
          },
          { name: 'odd', op: 'Tanh', input: ['input'] },
        ],
      },
      weightsManifest: [],
    };
    assert.throws(() => tfjsToOnnx(model as never, new Uint8Array(), 'tiny'), /tiny: unsupported op Tanh \(odd\)/);
  });

  test('refuses weights that do not match their manifest', () => {
    const model = {
      modelTopology: { node: [] },
      weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'w', shape: [4], dtype: 'float32' }] }],
    };
    assert.throws(() => tfjsToOnnx(model as never, new Uint8Array(12), 'tiny'), /hold 12 bytes; the manifest reads 16/);
    const quantized = structuredClone(model);
    Object.assign(quantized.weightsManifest[0]!.weights[0]!, { quantization: { dtype: 'uint8' } });
    assert.throws(
      () => tfjsToOnnx(quantized as never, new Uint8Array(4), 'tiny'),
      /Unsupported weight quantization: uint8/,
    );
  });
});
