// Every threshold and constant of the face analysis, in one object that is copied into each result's
// metadata, so a reader of any result knows exactly how it was computed.
export const FACE_THRESHOLDS = {
  /** Frames sampled per second of video (the original used 5). */
  analysis_fps: 5,
  /** Frames are scaled so their long side is at most this many pixels before inference. */
  frame_max_side_px: 640,
  /**
   * With at least this many source frames per sampled frame, the decoder skips the frames no other frame
   * refers to (most B-frames: two thirds of an x264 file's frames, a third of its decoding time); each
   * sample is then the first decoded frame of its slot. A slot left with none (a long run of B-frames
   * without a pyramid, a slow stretch of a variable-rate video) is decoded again in full; with fewer
   * frames per sample that would happen too often to gain anything, so everything is decoded.
   */
  skip_unreferenced_frames_from_ratio: 5,
  /** A detection below this confidence counts as no face. */
  min_face_confidence: 0.5,

  gaze: {
    method: 'head yaw/pitch + eye-in-head angle from the iris position (both eyes), degrees',
    /** The iris centre moves about 0.8 × half the eye width at full eye rotation: angle = asin(offset / 0.8). */
    iris_offset_at_90_deg: 0.8,
    /**
     * Turning the head shifts the iris against the eye corners even when the eye does not move (the iris
     * sits in front of the corners): offset − this × sin(head angle) is the eye's own rotation.
     */
    head_turn_iris_shift: 0.45,
    /** Looking straight ahead, the iris centre sits this far above the line through the eye corners. */
    iris_rest_offset_up: 0.09,
    /** |gaze yaw| at most this is CENTER horizontally. */
    center_max_yaw_deg: 15,
    /** Gaze pitch above this is UP, below −this is DOWN. */
    center_max_pitch_deg: 15,
  },

  smile: {
    method: 'mean of the expression model happy score and mouth geometry (width and corner lift over eye distance)',
    /** Mouth width over the distance between the outer eye corners: neutral → smiling. */
    mouth_width_ratio_range: [0.7, 0.88] as [number, number],
    /** Lip centre below the mouth corners, over eye distance, along the face's vertical axis. */
    corner_lift_ratio_range: [0.05, 0.1] as [number, number],
    /** Weight of the expression model's happy score; the rest is geometry. */
    model_weight: 0.5,
    /** A frame with smile ≥ this counts as smiling (absolute, the same for everyone). */
    smiling_threshold: 0.5,
  },

  emotion: {
    method: 'expression model scores mapped to the original categories, smile score first',
    happy_min_smile: 0.6,
    pleasant_min_smile: 0.35,
    surprised_min_score: 0.5,
    /** Sum of angry, disgust, fear and sad scores. */
    concerned_min_negative: 0.6,
    focused_min_negative: 0.35,
  },

  pose: {
    /** Angles beyond these are physically implausible for a seated candidate: reported as outliers. */
    outlier_abs_deg: { yaw: 60, pitch: 45, roll: 40 },
    /** A value this far from the median of its neighbours is a one-frame glitch: an outlier. */
    spike_deg: 20,
    spike_window_frames: 5,
  },

  nod: {
    method:
      'pitch smoothed by a centred median of 3 frames (one-frame spikes vanish, so a nod must hold its depth for two sampled frames), then followed with hysteresis',
    /** A nod: pitch goes down by at least this much and comes back up by at least this much ... */
    min_amplitude_deg: 6,
    /** ... all within this time; slower movements are posture drift, not nods. */
    max_duration_sec: 1.6,
  },

  blink: {
    /** Eye openness (lid gap over eye width) below this fraction of the video's median is a closed eye. */
    closed_fraction_of_median: 0.5,
    /** Closed for longer than this is not a blink (eyes shut on purpose). */
    max_blink_sec: 0.6,
  },

  gaze_away: {
    /** Stretches away from the camera shorter than this are glances, not segments. */
    min_segment_sec: 1.0,
  },
};

export type FaceThresholds = typeof FACE_THRESHOLDS;

// Every threshold and constant of the speech analysis, copied into each result's metadata.speech.
export const SPEECH_THRESHOLDS = {
  vad: {
    model: 'Silero VAD v5 (ONNX)',
    /** A 32 ms window with speech probability ≥ this starts or continues speech ... */
    speech_probability: 0.5,
    /** ... and speech ends after it stays below this for the minimum silence. */
    silence_probability: 0.35,
    min_silence_sec: 0.1,
    /** Shorter bursts (clicks, breaths) are not speech. */
    min_speech_sec: 0.25,
    /** Each stretch of speech is widened by this much on both sides (Silero's default). */
    pad_sec: 0.03,
  },
  /** A silence inside the answer at least this long is a pause. */
  pause_min_sec: 1.0,
  acoustic: {
    frame_sec: 0.04,
    hop_sec: 0.01,
    pitch_min_hz: 75,
    pitch_max_hz: 400,
    /** Normalised autocorrelation at the pitch period above this: a voiced frame. */
    voicing_threshold: 0.5,
    syllable_method:
      'syllable nuclei after de Jong & Wempe (2009): peaks of intensity (a centred mean over this many frames) in voiced frames of speech, at most this far below the loudest frames and this much above the lowest point since the previous peak',
    /** 3 frames (plus the 40 ms frame itself): at 5 and 2 dB, fast speech merged syllables and read 25–41% low. */
    syllable_smoothing_frames: 3,
    syllable_peak_max_below_top_db: 25,
    syllable_min_dip_db: 1,
    /**
     * How far syllables_per_sec_estimated may be off (npm run bench:speech prints it per clip). It is an
     * estimate for when there is no transcript; the feedback never uses it.
     */
    syllable_estimate_error:
      'within ±15% on natural English (JFK 11 s, LJSpeech LJ050-0131), also time-compressed to 1.3× and 1.6× (up to about 6.5 syllables/s), and on espeak-ng Korean; not checked on natural Korean speech, for which no recording with a known transcript was available',
  },
  fillers: {
    note: 'Transcribers drop many fillers (Whisper especially), so filler_count is a lower bound.',
    /** A pause at least this long after a word marks the word as said on its own (hesitation). */
    hesitation_pause_sec: 0.3,
  },
  /** Filler-priming prompt for engines that take one: short, because long prompts make Whisper skip or invent text. */
  filler_prompt: { ko: '음, 어, 그... 저는 음 그러니까', en: 'Um, uh, so, like, you know, I um think' },
};

export type SpeechThresholds = typeof SPEECH_THRESHOLDS;
