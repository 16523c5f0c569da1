// Pure geometry: from one face's landmarks and model outputs to the features of a timeline frame.
//
// Sign conventions, all from the candidate's own point of view in the video as recorded (not mirrored):
//   yaw   + = head turned to the candidate's right (towards the image's left)
//   pitch + = head tilted up
//   roll  + = head tilted towards the candidate's right shoulder (counter-clockwise in the image)
//   gaze LEFT / RIGHT = the candidate's own left / right; UP / DOWN as seen by the candidate.
import { FACE_THRESHOLDS, type FaceThresholds } from './thresholds.ts';

export type Point = [x: number, y: number, z?: number];
export type Gaze = 'CENTER' | 'LEFT' | 'RIGHT' | 'UP' | 'DOWN';
export type Emotion = 'happy' | 'pleasant' | 'neutral' | 'focused' | 'concerned' | 'surprised';

/** What the face model gives for one face (angles in Human's conventions, radians). */
export interface DetectedFace {
  confidence: number;
  /** 478 MediaPipe face-mesh points in pixels (sub-pixel); 468–477 are the irises. */
  mesh: Point[];
  /** Human: yaw + towards the image's left, pitch + down, roll + clockwise. */
  rotation: { yaw: number; pitch: number; roll: number };
  /** Expression model scores by class (angry, disgust, fear, happy, sad, surprise, neutral). */
  expressions: Record<string, number>;
}

export interface FaceFeatures {
  face_confidence: number;
  yaw: number;
  pitch: number;
  roll: number;
  /** Where the eyes point, head and eyes together, in degrees (same signs as yaw and pitch). */
  gaze_yaw: number;
  gaze_pitch: number;
  gaze: Gaze;
  /** Lid gap over eye width, both eyes averaged: about 0.3 open, under 0.1 closed. */
  eye_openness: number;
  smile: number;
  emotion: Emotion;
  emotion_scores: Record<string, number>;
}

// MediaPipe face-mesh landmark numbers. "Right" is the candidate's right eye (the image's left).
// Human appends the irises in the other order than MediaPipe: 468 is the left iris, 473 the right.
const MESH = {
  rightEyeOuter: 33,
  rightEyeInner: 133,
  rightEyeUpper: 159,
  rightEyeLower: 145,
  rightIris: 473,
  leftEyeOuter: 263,
  leftEyeInner: 362,
  leftEyeUpper: 386,
  leftEyeLower: 374,
  leftIris: 468,
  mouthRight: 61,
  mouthLeft: 291,
  upperLipInner: 13,
  lowerLipInner: 14,
} as const;

const DEG = 180 / Math.PI;
const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const at = (mesh: Point[], index: number): Point => mesh[index] ?? [0, 0];
const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const midpoint = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
/** Where `value` lies in [low, high], clamped to 0..1. */
const scale01 = (value: number, [low, high]: readonly [number, number]) => clamp01((value - low) / (high - low));

/**
 * The face's own axes in the image: `across` runs from the candidate's right eye to their left eye,
 * `down` from forehead to chin. Measuring along them makes the features independent of head roll.
 */
function faceAxes(mesh: Point[]) {
  const a = at(mesh, MESH.rightEyeOuter);
  const b = at(mesh, MESH.leftEyeOuter);
  const eyeDistance = distance(a, b) || 1;
  const across: Point = [(b[0] - a[0]) / eyeDistance, (b[1] - a[1]) / eyeDistance];
  const down: Point = [-across[1], across[0]];
  const project = (p: Point, origin: Point) => ({
    across: (p[0] - origin[0]) * across[0] + (p[1] - origin[1]) * across[1],
    down: (p[0] - origin[0]) * down[0] + (p[1] - origin[1]) * down[1],
  });
  return { eyeDistance, project };
}

/** Iris offset from the eye's centre, in half eye widths, along the face's axes. */
function irisOffset(mesh: Point[], outer: number, inner: number, iris: number, axes: ReturnType<typeof faceAxes>) {
  const corners = [at(mesh, outer), at(mesh, inner)] as const;
  const halfWidth = distance(...corners) / 2 || 1;
  const offset = axes.project(at(mesh, iris), midpoint(...corners));
  return { across: offset.across / halfWidth, down: offset.down / halfWidth };
}

/** The eyes' rotation within the head, from both irises, corrected for the head's own turn. */
function eyeAngles(
  mesh: Point[],
  axes: ReturnType<typeof faceAxes>,
  head: { yaw: number; pitch: number },
  thresholds: FaceThresholds,
) {
  const { iris_offset_at_90_deg: fullTurn, head_turn_iris_shift: shift, iris_rest_offset_up: restUp } = thresholds.gaze;
  const right = irisOffset(mesh, MESH.rightEyeOuter, MESH.rightEyeInner, MESH.rightIris, axes);
  const left = irisOffset(mesh, MESH.leftEyeOuter, MESH.leftEyeInner, MESH.leftIris, axes);
  const sin = (degrees: number) => Math.sin(degrees / DEG);
  const angle = (offset: number) => Math.asin(Math.max(-1, Math.min(1, offset / fullTurn))) * DEG;
  // Offsets run towards the image's right (+across) and down (+down); a head turned to the candidate's
  // right (image left) or up moves the iris that way too.
  const across = (right.across + left.across) / 2 + shift * sin(head.yaw);
  const down = (right.down + left.down) / 2 + restUp + shift * sin(head.pitch);
  return { yaw: -angle(across), pitch: -angle(down) };
}

export function eyeOpenness(mesh: Point[]): number {
  const open = (upper: number, lower: number, outer: number, inner: number) =>
    distance(at(mesh, upper), at(mesh, lower)) / (distance(at(mesh, outer), at(mesh, inner)) || 1);
  return (
    (open(MESH.rightEyeUpper, MESH.rightEyeLower, MESH.rightEyeOuter, MESH.rightEyeInner) +
      open(MESH.leftEyeUpper, MESH.leftEyeLower, MESH.leftEyeOuter, MESH.leftEyeInner)) /
    2
  );
}

/** 0 for a neutral mouth, 1 for a clear smile: expression model and mouth geometry together. */
export function smileScore(mesh: Point[], happy: number, thresholds: FaceThresholds = FACE_THRESHOLDS): number {
  const axes = faceAxes(mesh);
  const widthRatio = distance(at(mesh, MESH.mouthRight), at(mesh, MESH.mouthLeft)) / axes.eyeDistance;
  const corners = midpoint(at(mesh, MESH.mouthRight), at(mesh, MESH.mouthLeft));
  const lipCentre = midpoint(at(mesh, MESH.upperLipInner), at(mesh, MESH.lowerLipInner));
  const lift = axes.project(lipCentre, corners).down / axes.eyeDistance;
  const geometry =
    (scale01(widthRatio, thresholds.smile.mouth_width_ratio_range) +
      scale01(lift, thresholds.smile.corner_lift_ratio_range)) /
    2;
  const weight = thresholds.smile.model_weight;
  return clamp01(weight * happy + (1 - weight) * geometry);
}

export function classifyGaze(gazeYaw: number, gazePitch: number, thresholds: FaceThresholds = FACE_THRESHOLDS): Gaze {
  const { center_max_yaw_deg: maxYaw, center_max_pitch_deg: maxPitch } = thresholds.gaze;
  // The larger excursion, relative to its own limit, names the direction.
  const horizontal = Math.abs(gazeYaw) / maxYaw;
  const vertical = Math.abs(gazePitch) / maxPitch;
  if (horizontal <= 1 && vertical <= 1) return 'CENTER';
  if (horizontal >= vertical) return gazeYaw > 0 ? 'RIGHT' : 'LEFT';
  return gazePitch > 0 ? 'UP' : 'DOWN';
}

export function classifyEmotion(
  scores: Record<string, number>,
  smile: number,
  thresholds: FaceThresholds = FACE_THRESHOLDS,
): Emotion {
  const rules = thresholds.emotion;
  const negative = (scores.angry ?? 0) + (scores.disgust ?? 0) + (scores.fear ?? 0) + (scores.sad ?? 0);
  if (smile >= rules.happy_min_smile) return 'happy';
  if ((scores.surprise ?? 0) >= rules.surprised_min_score) return 'surprised';
  if (smile >= rules.pleasant_min_smile) return 'pleasant';
  if (negative >= rules.concerned_min_negative) return 'concerned';
  if (negative >= rules.focused_min_negative) return 'focused';
  return 'neutral';
}

export function faceFeatures(face: DetectedFace, thresholds: FaceThresholds = FACE_THRESHOLDS): FaceFeatures {
  const axes = faceAxes(face.mesh);
  const yaw = face.rotation.yaw * DEG;
  const pitch = -face.rotation.pitch * DEG;
  const roll = -face.rotation.roll * DEG;
  const eyes = eyeAngles(face.mesh, axes, { yaw, pitch }, thresholds);
  const gazeYaw = yaw + eyes.yaw;
  const gazePitch = pitch + eyes.pitch;
  const smile = smileScore(face.mesh, face.expressions.happy ?? 0, thresholds);
  return {
    face_confidence: round(face.confidence),
    yaw: round(yaw, 2),
    pitch: round(pitch, 2),
    roll: round(roll, 2),
    gaze_yaw: round(gazeYaw, 2),
    gaze_pitch: round(gazePitch, 2),
    gaze: classifyGaze(gazeYaw, gazePitch, thresholds),
    eye_openness: round(eyeOpenness(face.mesh)),
    smile: round(smile),
    emotion: classifyEmotion(face.expressions, smile, thresholds),
    emotion_scores: Object.fromEntries(Object.entries(face.expressions).map(([name, score]) => [name, round(score)])),
  };
}
