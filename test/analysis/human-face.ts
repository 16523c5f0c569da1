// The reference face model: Human itself (MediaPipe face mesh with irises, head rotation, expressions) on
// the TensorFlow.js WASM backend, which the service ran before the ONNX face chain, with the chain's
// settings. Kept (with TensorFlow.js as development dependencies) so that tests and bench:vision can
// check that the chain still gives Human's figures on the same frames.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Point } from '../../src/analysis/face-features.ts';
import { FACE_CHAIN_CONFIG } from '../../src/analysis/face/chain.ts';
import type { FaceModel } from '../../src/analysis/vision.ts';

const require = createRequire(import.meta.url);

// Only the parts of Human's API used here.
interface HumanFace {
  score: number;
  /** Normalised 0..1; `mesh` holds the same points rounded to whole pixels, too coarse for irises. */
  meshRaw: Point[];
  rotation?: { angle: { yaw: number; pitch: number; roll: number } } | null;
  emotion?: Array<{ score: number; emotion: string }>;
}
interface HumanTensor {
  dispose(): void;
}
interface HumanInstance {
  load(): Promise<void>;
  detect(input: HumanTensor): Promise<{ face: HumanFace[] }>;
  tf: {
    tensor3d(values: Int32Array, shape: [number, number, number], dtype: 'int32'): HumanTensor;
  };
}

// Human fetches models and the WASM binary by URL; Node's fetch cannot read file:// URLs.
function serveFileUrls(): void {
  const networkFetch = globalThis.fetch;
  if ((networkFetch as { servesFiles?: boolean }).servesFiles) return;
  const fetchWithFiles = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file://')) return networkFetch(input, init);
    const type = url.endsWith('.json')
      ? 'application/json'
      : url.endsWith('.wasm')
        ? 'application/wasm'
        : 'application/octet-stream';
    return new Response(await readFile(new URL(url)), { headers: { 'content-type': type } });
  };
  globalThis.fetch = Object.assign(fetchWithFiles, { servesFiles: true }) as typeof fetch;
}

const folderUrl = (folder: string) => `${pathToFileURL(folder).href}/`;

const HUMAN_CONFIG = {
  backend: 'wasm',
  debug: false,
  async: true,
  warmup: 'none',
  // Tracking and its limits as the chain has them: the detector is skipped while the previous frame's
  // mesh locates the face; expression caching is off, as it would freeze the expression timeline.
  cacheSensitivity: FACE_CHAIN_CONFIG.cacheSensitivity,
  face: {
    enabled: true,
    detector: {
      enabled: true,
      rotation: true,
      maxDetected: 1,
      minConfidence: FACE_CHAIN_CONFIG.minConfidence,
      skipFrames: FACE_CHAIN_CONFIG.detectorEveryFrames - 1,
      skipTime: 600_000,
      scale: FACE_CHAIN_CONFIG.detectorBoxScale,
      return: false,
    },
    mesh: { enabled: true },
    iris: { enabled: true, scale: FACE_CHAIN_CONFIG.irisBoxScale },
    emotion: { enabled: true, skipFrames: 0, skipTime: 0, minConfidence: FACE_CHAIN_CONFIG.minExpressionScore },
    description: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
    attention: { enabled: false },
    gear: { enabled: false },
  },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  gesture: { enabled: false },
  segmentation: { enabled: false },
  filter: { enabled: false },
};

/** Human with the configuration the service used. */
export async function loadHumanFaceModel(): Promise<FaceModel> {
  serveFileUrls();
  // The WASM build is hidden by the package's exports map, so it is loaded by path.
  const humanDist = dirname(require.resolve('@vladmandic/human'));
  const { Human } = require(join(humanDist, 'human.node-wasm.js')) as {
    Human: new (config: Record<string, unknown>) => HumanInstance;
  };
  const human = new Human({
    ...HUMAN_CONFIG,
    wasmPath: folderUrl(dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))),
    modelBasePath: folderUrl(join(humanDist, '..', 'models')),
  });
  await human.load();

  // Human keeps its tracking state in its module; a black frame is a new scene with no face, after which
  // the next frame starts with the detector as after a reset.
  let startOver = false;
  const run = (rgb: Int32Array, width: number, height: number) => {
    const tensor = human.tf.tensor3d(rgb, [height, width, 3], 'int32');
    return human.detect(tensor).finally(() => tensor.dispose());
  };
  return {
    async detect(frame) {
      if (startOver) {
        await run(new Int32Array(frame.rgb.length), frame.width, frame.height);
        startOver = false;
      }
      const { face } = await run(new Int32Array(frame.rgb), frame.width, frame.height);
      const best = face.filter((f) => f.meshRaw.length >= 478).sort((a, b) => b.score - a.score)[0];
      if (!best?.rotation) return null;
      return {
        confidence: best.score,
        mesh: best.meshRaw.map(([x, y, z]) => [x * frame.width, y * frame.height, z]),
        rotation: best.rotation.angle,
        expressions: Object.fromEntries((best.emotion ?? []).map((e) => [e.emotion, e.score])),
      };
    },
    reset: () => {
      startOver = true;
    },
  };
}
