// The face chain on ONNX Runtime: face detector (BlazeFace) → 468-point mesh → irises (478 points) →
// expressions, with head rotation from the mesh. It runs the weights of Human's models (converted at
// load, see tfjs-to-onnx.ts) with the arithmetic of Human 3.3's own chain (src/face/facemesh.ts, iris.ts,
// facemeshutil.ts, angles.ts, gear/emotion.ts; MIT licence) so that its figures match Human's, quirks
// included: both eye crops are mirrored but only the left is read back mirrored, and mesh points are cut
// to whole pixels. What it saves is TensorFlow.js's WASM kernels and per-op overhead: ONNX Runtime's
// native kernels run the same networks two to three times faster.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { FaceModel } from '../vision.ts';
import type { Frame } from '../media.ts';
import { cropAndResize, flipLeftRight, resizeBilinear, rotatedSampler, type Picture } from './image.ts';
import { tfjsToOnnx, type TfjsGraphModel } from './tfjs-to-onnx.ts';

/** How the chain runs; the figures are Human's configuration as this service has always used it. */
export const FACE_CHAIN_CONFIG = {
  /** Faces below this detector or mesh confidence are dropped. */
  minConfidence: 0.3,
  /** The detector is skipped while tracking, but runs at least every this many frames. */
  detectorEveryFrames: 15,
  /** Mean squared change per channel (0–255 units) above which a frame counts as a new scene. */
  cacheSensitivity: 5,
  detectorBoxScale: 1.4,
  irisBoxScale: 2.3,
  /** Crops are turned upright only for rolls beyond this (radians). */
  minRotation: 0.2,
  /** Expressions below this score are left out, as Human does. */
  minExpressionScore: 0.1,
} as const;

const DETECTOR_SIZE = 256;
const MESH_SIZE = 192;
const IRIS_SIZE = 64;
const EXPRESSION_SIZE = 64;
const EXPRESSIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
const GRAY = [0.2989, 0.587, 0.114];
/** Mesh indices of each eye's outline, upper and lower lids, and the iris model's points that replace them. */
const EYE = {
  left: {
    bounds: [263, 362],
    parts: {
      EyeUpper0: [466, 388, 387, 386, 385, 384, 398],
      EyeLower0: [263, 249, 390, 373, 374, 380, 381, 382, 362],
      EyeUpper1: [467, 260, 259, 257, 258, 286, 414],
      EyeLower1: [359, 255, 339, 254, 253, 252, 256, 341, 463],
      EyeUpper2: [342, 445, 444, 443, 442, 441, 413],
      EyeLower2: [446, 261, 448, 449, 450, 451, 452, 453, 464],
      EyeLower3: [372, 340, 346, 347, 348, 349, 350, 357, 465],
      EyebrowUpper: [383, 300, 293, 334, 296, 336, 285, 417],
      EyebrowLower: [265, 353, 276, 283, 282, 295],
    },
  },
  right: {
    bounds: [33, 133],
    parts: {
      EyeUpper0: [246, 161, 160, 159, 158, 157, 173],
      EyeLower0: [33, 7, 163, 144, 145, 153, 154, 155, 133],
      EyeUpper1: [247, 30, 29, 27, 28, 56, 190],
      EyeLower1: [130, 25, 110, 24, 23, 22, 26, 112, 243],
      EyeUpper2: [113, 225, 224, 223, 222, 221, 189],
      EyeLower2: [226, 31, 228, 229, 230, 231, 232, 233, 244],
      EyeLower3: [143, 111, 117, 118, 119, 120, 121, 128, 245],
      EyebrowUpper: [156, 70, 63, 105, 66, 107, 55, 193],
      EyebrowLower: [35, 124, 46, 53, 52, 65],
    },
  },
} as const;
type EyePart = keyof (typeof EYE)['left']['parts'];
const IRIS_MODEL_POINTS: Record<EyePart, number[]> = {
  EyeUpper0: [9, 10, 11, 12, 13, 14, 15],
  EyeUpper1: [25, 26, 27, 28, 29, 30, 31],
  EyeUpper2: [41, 42, 43, 44, 45, 46, 47],
  EyeLower0: [0, 1, 2, 3, 4, 5, 6, 7, 8],
  EyeLower1: [16, 17, 18, 19, 20, 21, 22, 23, 24],
  EyeLower2: [32, 33, 34, 35, 36, 37, 38, 39, 40],
  EyeLower3: [54, 55, 56, 57, 58, 59, 60, 61, 62],
  EyebrowUpper: [63, 64, 65, 66, 67, 68, 69, 70],
  EyebrowLower: [48, 49, 50, 51, 52, 53],
};
const IRIS_POINTS = 76;
const IRIS_FIRST = 71;

type Vec3 = [number, number, number];
type Matrix = number[][];
interface Box {
  startPoint: [number, number];
  endPoint: [number, number];
  /** The detector's six keypoints (image pixels), kept while the face is tracked. */
  landmarks: [number, number][];
  confidence: number;
}

const require = createRequire(import.meta.url);

async function session(name: string): Promise<ort.InferenceSession> {
  const folder = join(dirname(require.resolve('@vladmandic/human')), '..', 'models');
  const [json, weights] = await Promise.all([
    readFile(join(folder, `${name}.json`), 'utf8'),
    readFile(join(folder, `${name}.bin`)),
  ]);
  const model = tfjsToOnnx(JSON.parse(json) as TfjsGraphModel, new Uint8Array(weights), name);
  // One thread per model: the face stage runs chains side by side, each with its own ffmpeg.
  return ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

async function run(model: ort.InferenceSession, data: Float32Array, dims: number[]): Promise<Float32Array[]> {
  const outputs = await model.run({ [model.inputNames[0]!]: new ort.Tensor('float32', data, dims) });
  return model.outputNames.map((name) => outputs[name]!.data as Float32Array);
}

const SCENE_CHUNK = 16_384;

export async function loadFaceChain(): Promise<FaceModel> {
  const [detector, mesher, irises, expressions] = await Promise.all([
    session('blazeface'),
    session('facemesh'),
    session('iris'),
    session('emotion'),
  ]);
  const anchors = detectorAnchors();
  let tracked: Box[] = [];
  let framesSinceDetector = Number.MAX_SAFE_INTEGER;
  let previous: Uint8Array | undefined;

  /** Human's scene-change test: the frame may reuse the previous face box when little changed. */
  const sameScene = (frame: Frame) => {
    // Frames are fresh buffers that nobody changes afterwards, so the previous one is kept, not copied.
    const rgb = frame.rgb;
    const before = previous;
    previous = rgb;
    if (!before || before.length !== rgb.length) return false;
    // Summed in integer chunks (16,384 squared byte differences stay below 2^31): a float sum over the
    // whole frame is one long chain of dependent additions, twice as slow, for the same exact total.
    let sum = 0;
    for (let start = 0; start < rgb.length; start += SCENE_CHUNK) {
      const end = Math.min(rgb.length, start + SCENE_CHUNK);
      let part = 0;
      for (let i = start; i < end; i++) {
        const change = rgb[i]! - before[i]!;
        part = (part + change * change) | 0;
      }
      sum += part;
    }
    return sum / frame.height / frame.width / 255 / 3 <= FACE_CHAIN_CONFIG.cacheSensitivity;
  };

  const detectFaces = async (picture: Picture): Promise<Box[]> => {
    const input = resizeBilinear(picture, DETECTOR_SIZE, DETECTOR_SIZE, 1 / 127.5);
    for (let i = 0; i < input.length; i++) input[i] = input[i]! - 1;
    const outputs = await run(detector, input, [1, DETECTOR_SIZE, DETECTOR_SIZE, 3]);
    // Four outputs: scores and boxes for the 16×16 grid (512 anchors) and the 8×8 grid (384 anchors).
    const [scores384, scores512, boxes384, boxes512] = [...outputs].sort((a, b) => a.length - b.length) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const score = (i: number) => (i < 512 ? scores512[i]! : scores384[i - 512]!);
    const regression = (i: number, k: number) => (i < 512 ? boxes512[i * 16 + k]! : boxes384[(i - 512) * 16 + k]!);
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < anchors.length; i++) {
      const logit = score(i);
      if (logit > bestScore) {
        bestScore = logit;
        best = i;
      }
    }
    const confidence = 1 / (1 + Math.exp(-bestScore));
    if (best < 0 || !(confidence > FACE_CHAIN_CONFIG.minConfidence)) return [];
    const [anchorX, anchorY] = anchors[best]!;
    const centerX = regression(best, 0) + anchorX;
    const centerY = regression(best, 1) + anchorY;
    const halfWidth = regression(best, 2) / 2;
    const halfHeight = regression(best, 3) / 2;
    const factor = [picture.width / DETECTOR_SIZE, picture.height / DETECTOR_SIZE] as const;
    const landmarks: [number, number][] = [];
    for (let k = 0; k < 6; k++) {
      landmarks.push([
        (regression(best, 4 + k * 2) + anchorX) * factor[0],
        (regression(best, 5 + k * 2) + anchorY) * factor[1],
      ]);
    }
    const scaled: Box = {
      startPoint: [(centerX - halfWidth) * factor[0], (centerY - halfHeight) * factor[1]],
      endPoint: [(centerX + halfWidth) * factor[0], (centerY + halfHeight) * factor[1]],
      landmarks,
      confidence,
    };
    const box = squarify(enlarge(scaled, FACE_CHAIN_CONFIG.detectorBoxScale));
    const [width, height] = boxSize(box);
    return width > 0 && height > 0 ? [box] : [];
  };

  const irisAugment = async (raw: Vec3[], face: Picture): Promise<Vec3[]> => {
    const eyeCrop = (bounds: readonly number[]) => {
      const box = squarify(enlarge(landmarksBox([raw[bounds[0]!]!, raw[bounds[1]!]!]), FACE_CHAIN_CONFIG.irisBoxScale));
      const cut: [number, number, number, number] = [
        box.startPoint[1] / MESH_SIZE,
        box.startPoint[0] / MESH_SIZE,
        box.endPoint[1] / MESH_SIZE,
        box.endPoint[0] / MESH_SIZE,
      ];
      // Human mirrors both eye crops (the model expects a left eye).
      const crop = flipLeftRight(cropAndResize(face, cut, IRIS_SIZE), IRIS_SIZE, 3);
      return { box, size: boxSize(box), crop };
    };
    const left = eyeCrop(EYE.left.bounds);
    const right = eyeCrop(EYE.right.bounds);
    const batch = new Float32Array(2 * IRIS_SIZE * IRIS_SIZE * 3);
    batch.set(left.crop, 0);
    batch.set(right.crop, left.crop.length);
    const [points] = await run(irises, batch, [2, IRIS_SIZE, IRIS_SIZE, 3]);
    const eyePoints = (offset: number, eye: typeof left, mirrored: boolean): Vec3[] => {
      const result: Vec3[] = [];
      for (let i = 0; i < IRIS_POINTS; i++) {
        const x = points![offset + i * 3]! / IRIS_SIZE;
        const y = points![offset + i * 3 + 1]! / IRIS_SIZE;
        result.push([
          (mirrored ? 1 - x : x) * eye.size[0] + eye.box.startPoint[0],
          y * eye.size[1] + eye.box.startPoint[1],
          points![offset + i * 3 + 2]!,
        ]);
      }
      return result;
    };
    // Human reads the left eye back mirrored and the right eye as if it had not been mirrored.
    const leftPoints = eyePoints(0, left, true);
    const rightPoints = eyePoints(IRIS_POINTS * 3, right, false);
    const replace = (side: 'left' | 'right', eyePointsOfSide: Vec3[], only?: EyePart[]) => {
      for (const part of Object.keys(IRIS_MODEL_POINTS) as EyePart[]) {
        if (only && !only.includes(part)) continue;
        const meshIndices = EYE[side].parts[part];
        IRIS_MODEL_POINTS[part].forEach((irisIndex, j) => {
          const target = meshIndices[j]!;
          const point = eyePointsOfSide[irisIndex]!;
          raw[target] = [point[0], point[1], (point[2] + raw[target]![2]) / 2];
        });
      }
    };
    const depthDifference = raw[EYE.left.bounds[0]]![2] - raw[EYE.right.bounds[0]]![2];
    if (Math.abs(depthDifference) < 30) {
      replace('left', leftPoints);
      replace('right', rightPoints);
    } else if (depthDifference < 1) replace('left', leftPoints, ['EyeUpper0', 'EyeLower0']);
    else replace('right', rightPoints, ['EyeUpper0', 'EyeLower0']);
    const irisWithDepth = (side: 'left' | 'right', eyePointsOfSide: Vec3[]): Vec3[] => {
      const upper = raw[EYE[side].parts.EyeUpper0[3]]![2];
      const lower = raw[EYE[side].parts.EyeLower0[4]]![2];
      return eyePointsOfSide
        .slice(IRIS_FIRST)
        .map((point, i) => [point[0], point[1], i === 2 ? upper : i === 4 ? lower : (upper + lower) / 2]);
    };
    return [...raw, ...irisWithDepth('left', leftPoints), ...irisWithDepth('right', rightPoints)];
  };

  const expressionScores = async (face: Picture): Promise<Record<string, number>> => {
    const resized = resizeBilinear(face, EXPRESSION_SIZE, EXPRESSION_SIZE);
    const gray = new Float32Array(EXPRESSION_SIZE * EXPRESSION_SIZE);
    for (let i = 0; i < gray.length; i++) {
      const value = resized[i * 3]! * GRAY[0]! + resized[i * 3 + 1]! * GRAY[1]! + resized[i * 3 + 2]! * GRAY[2]!;
      gray[i] = (value - 0.5) * 2;
    }
    const [scores] = await run(expressions, gray, [1, EXPRESSION_SIZE, EXPRESSION_SIZE, 1]);
    const result: Record<string, number> = {};
    scores!.forEach((score, i) => {
      if (score > FACE_CHAIN_CONFIG.minExpressionScore)
        result[EXPRESSIONS[i]!] = Math.min(0.99, Math.trunc(100 * score) / 100);
    });
    return result;
  };

  return {
    reset() {
      tracked = [];
      framesSinceDetector = Number.MAX_SAFE_INTEGER;
      previous = undefined;
    },
    async detect(frame) {
      const picture: Picture = { data: frame.rgb, width: frame.width, height: frame.height, channels: 3 };
      const reuse = sameScene(frame);
      if (!reuse || framesSinceDetector + 1 >= FACE_CHAIN_CONFIG.detectorEveryFrames || tracked.length === 0) {
        tracked = await detectFaces(picture);
        framesSinceDetector = 0;
      } else framesSinceDetector++;

      const box = tracked[0];
      tracked = [];
      if (!box) return null;
      const { angle, rotation, crop } = uprightCrop(box, picture);
      const face: Picture = { data: crop, width: MESH_SIZE, height: MESH_SIZE, channels: 3 };
      const meshOutputs = await run(mesher, crop, [1, MESH_SIZE, MESH_SIZE, 3]);
      const faceScore = Math.round(100 * meshOutputs.find((output) => output.length === 1)![0]!) / 100;
      // Below the limit the face is neither tracked nor reported; at exactly the limit it is tracked
      // (the next frame skips the detector) but not reported, as in Human.
      if (faceScore < FACE_CHAIN_CONFIG.minConfidence) return null;
      const flat = meshOutputs.find((output) => output.length === 468 * 3)!;
      const raw: Vec3[] = Array.from({ length: 468 }, (_, i) => [flat[i * 3]!, flat[i * 3 + 1]!, flat[i * 3 + 2]!]);
      const mesh = meshToImage(await irisAugment(raw, face), box, angle, rotation);
      const faceBox = boxAroundMesh(mesh, box);
      tracked = [faceBox];
      if (!(faceScore > FACE_CHAIN_CONFIG.minConfidence)) return null;
      return {
        confidence: faceScore,
        // Image pixels, z in mesh units over 192, as Human reports them.
        mesh: mesh.map(([x, y, z]) => [x, y, z / MESH_SIZE]),
        rotation: headRotation(mesh, faceBox, frame.width, frame.height),
        expressions: await expressionScores(face),
      };
    },
  };
}

function detectorAnchors(): [number, number][] {
  const anchors: [number, number][] = [];
  for (const [stride, perCell] of [
    [DETECTOR_SIZE / 16, 2],
    [DETECTOR_SIZE / 8, 6],
  ] as const) {
    const cells = Math.floor((DETECTOR_SIZE + stride - 1) / stride);
    for (let y = 0; y < cells; y++)
      for (let x = 0; x < cells; x++)
        for (let n = 0; n < perCell; n++) anchors.push([stride * (x + 0.5), stride * (y + 0.5)]);
  }
  return anchors;
}

const boxSize = (box: Pick<Box, 'startPoint' | 'endPoint'>): [number, number] => [
  Math.abs(box.endPoint[0] - box.startPoint[0]),
  Math.abs(box.endPoint[1] - box.startPoint[1]),
];
const boxCenter = (box: Pick<Box, 'startPoint' | 'endPoint'>): Vec3 => [
  box.startPoint[0] + (box.endPoint[0] - box.startPoint[0]) / 2,
  box.startPoint[1] + (box.endPoint[1] - box.startPoint[1]) / 2,
  1,
];
function enlarge<T extends Pick<Box, 'startPoint' | 'endPoint'>>(box: T, factor: number): T {
  const [cx, cy] = boxCenter(box);
  const [width, height] = boxSize(box);
  return {
    ...box,
    startPoint: [cx - (factor * width) / 2, cy - (factor * height) / 2],
    endPoint: [cx + (factor * width) / 2, cy + (factor * height) / 2],
  };
}
function squarify<T extends Pick<Box, 'startPoint' | 'endPoint'>>(box: T): T {
  const [cx, cy] = boxCenter(box);
  const half = Math.max(...boxSize(box)) / 2;
  return {
    ...box,
    startPoint: [Math.round(cx - half), Math.round(cy - half)],
    endPoint: [Math.round(cx + half), Math.round(cy + half)],
  };
}
function landmarksBox(points: Vec3[]): Pick<Box, 'startPoint' | 'endPoint'> {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { startPoint: [Math.min(...xs), Math.min(...ys)], endPoint: [Math.max(...xs), Math.max(...ys)] };
}

const dot = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
function multiply(a: Matrix, b: Matrix): Matrix {
  return a.map((row) =>
    row.map((_, col) =>
      dot(
        row,
        b.map((r) => r[col]!),
      ),
    ),
  );
}
function rotationAbout(radians: number, center: [number, number]): Matrix {
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const translate = (x: number, y: number) => [
    [1, 0, x],
    [0, 1, y],
    [0, 0, 1],
  ];
  return multiply(
    multiply(translate(center[0], center[1]), [
      [cos, -sin, 0],
      [sin, cos, 0],
      [0, 0, 1],
    ]),
    translate(-center[0], -center[1]),
  );
}
function invert(matrix: Matrix): Matrix {
  const rotation = [
    [matrix[0]![0]!, matrix[1]![0]!],
    [matrix[0]![1]!, matrix[1]![1]!],
  ];
  const translation = [matrix[0]![2]!, matrix[1]![2]!];
  return [
    [...rotation[0]!, -dot(rotation[0]!, translation)],
    [...rotation[1]!, -dot(rotation[1]!, translation)],
    [0, 0, 1],
  ];
}
const IDENTITY: Matrix = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

/** The face box cut out at 192×192 (0..1), turned upright first when the face leans far. */
function uprightCrop(box: Box, picture: Picture) {
  const [p1, p2] = [box.landmarks[3]!, box.landmarks[2]!];
  const raw = Math.PI / 2 - Math.atan2(-(p2[1] - p1[1]), p2[0] - p1[0]);
  const angle = raw - 2 * Math.PI * Math.floor((raw + Math.PI) / (2 * Math.PI));
  const cut: [number, number, number, number] = [
    box.startPoint[1] / picture.height,
    box.startPoint[0] / picture.width,
    box.endPoint[1] / picture.height,
    box.endPoint[0] / picture.width,
  ];
  if (Math.abs(angle) <= FACE_CHAIN_CONFIG.minRotation) {
    return { angle, rotation: IDENTITY, crop: cropAndResize(picture, cut, MESH_SIZE, 1 / 255) };
  }
  const [cx, cy] = boxCenter(box);
  // rotateWithOffset takes its centre as a fraction of the picture and works in whole pixels.
  // Through a fraction and back, as Human hands it to TensorFlow.js: bit-equal crops.
  const center: [number, number] = [(cx / picture.width) * picture.width, (cy / picture.height) * picture.height];
  const crop = cropAndResize(picture, cut, MESH_SIZE, 1 / 255, rotatedSampler(picture, angle, center));
  return { angle, rotation: rotationAbout(-angle, [cx, cy]), crop };
}

/** Mesh points from crop space back to image pixels, cut to whole pixels as Human does. */
function meshToImage(raw: Vec3[], box: Box, angle: number, rotation: Matrix): Vec3[] {
  const [width, height] = boxSize(box);
  const large = angle !== 0 && Math.abs(angle) > FACE_CHAIN_CONFIG.minRotation;
  const turn = large ? rotationAbout(angle, [0, 0]) : IDENTITY;
  const inverse = large ? invert(rotation) : IDENTITY;
  const center = boxCenter(box);
  const offsets = [dot(center, inverse[0]!), dot(center, inverse[1]!)];
  return raw.map(([x, y, z]) => {
    const scaled: Vec3 = [
      (width / MESH_SIZE) * (x - MESH_SIZE / 2),
      (height / MESH_SIZE) * (y - MESH_SIZE / 2),
      z || 0,
    ];
    const turned = large ? [dot(scaled, turn[0]!), dot(scaled, turn[1]!)] : scaled;
    return [Math.trunc(turned[0]! + offsets[0]!), Math.trunc(turned[1]! + offsets[1]!), Math.trunc(scaled[2])];
  });
}

/** The next frame's face box: centred on the mesh, the size of the previous box. */
function boxAroundMesh(mesh: Vec3[], previous: Box): Box {
  const xs = mesh.map((p) => p[0]);
  const ys = mesh.map((p) => p[1]);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const center = [minX + (Math.max(...xs) - minX) / 2, minY + (Math.max(...ys) - minY) / 2];
  const [width, height] = boxSize(previous);
  return {
    startPoint: [center[0]! - width / 2, center[1]! - height / 2],
    endPoint: [center[0]! + width / 2, center[1]! + height / 2],
    landmarks: previous.landmarks,
    confidence: previous.confidence,
  };
}

/** Human's head rotation (radians) from the face's top, chin and sides. */
function headRotation(mesh: Vec3[], box: Box, width: number, height: number) {
  const [boxWidth, boxHeight] = boxSize(box);
  const size = Math.max((boxWidth / width) * width, (boxHeight / height) * height) / 1.5;
  const points = [10, 152, 234, 454].map((i): Vec3 => {
    const [x, y, z] = mesh[i]!;
    // Human works from coordinates over the picture's size; the round trip keeps the angles bit-equal.
    return [((x / width) * width) / size, ((y / height) * height) / size, z / MESH_SIZE];
  });
  const normalize = (v: Vec3): Vec3 => {
    const length = Math.hypot(v[0], v[1], v[2]);
    return [v[0] / length, v[1] / length, v[2] / length];
  };
  const minus = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  const cross = (a: Vec3, b: Vec3): Vec3 => [
    a[1] * b[2] - a[2] * b[1],
    a[2] * b[0] - a[0] * b[2],
    a[0] * b[1] - a[1] * b[0],
  ];
  const yAxis = normalize(minus(points[1]!, points[0]!));
  let xAxis = normalize(minus(points[3]!, points[2]!));
  const zAxis = normalize(cross(xAxis, yAxis));
  xAxis = cross(yAxis, zAxis);
  const [r00, , , r10, r11, r12, r20, r21, r22] = [...xAxis, ...yAxis, ...zAxis];
  let thetaX: number;
  let thetaY: number;
  let thetaZ: number;
  if (r10! < 1) {
    if (r10! > -1) {
      thetaZ = Math.atan2(r10!, Math.sqrt(r00! * r00! + r20! * r20!));
      thetaY = Math.atan2(-r20!, r00!);
      thetaX = Math.atan2(-r12!, r11!);
    } else {
      thetaZ = -Math.PI / 2;
      thetaY = -Math.atan2(r21!, r22!);
      thetaX = 0;
    }
  } else {
    thetaZ = Math.PI / 2;
    thetaY = Math.atan2(r21!, r22!);
    thetaX = 0;
  }
  return { pitch: -(thetaX || 0), yaw: -(thetaY || 0), roll: -(thetaZ || 0) };
}
