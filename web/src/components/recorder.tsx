// Record an answer: camera preview (mirrored for you; the recording is not) in the camera's own shape,
// a microphone level meter under it, device pickers folded away, 3-2-1 (cancellable), a timer with a
// limit, then play back, record again or submit. A video file can be chosen instead. Submitting uploads with progress and a cancel, then starts the analysis.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, upload, type UploadHandle } from '../api.ts';
import { announce } from '../announce.ts';
import { useI18n } from '../i18n/index.ts';
import { setLeaveGuard } from '../router.ts';
import type { Job, Question, Upload } from '../types.ts';
import { ErrorText } from './error-text.tsx';

export const RECORDING_LIMIT_SEC = 180;
const COUNTDOWN_SEC = 3;

/**
 * Recording formats in order of preference: MP4 with H.264 + AAC where the browser offers it (Safari
 * only records MP4), WebM with VP9 or VP8 + Opus otherwise (Firefox only records WebM). A plain
 * "video/mp4" comes last: builds without an H.264 encoder (Debian's Chromium) accept it but then
 * choose their own codecs.
 */
const RECORDING_TYPES = [
  'video/mp4;codecs=avc1.42E01E,mp4a.40.2',
  'video/mp4;codecs=avc1,mp4a',
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm',
  'video/mp4',
];

export function recordingType(isSupported: (type: string) => boolean): string | null {
  return RECORDING_TYPES.find((type) => isSupported(type)) ?? null;
}

type Phase = 'preview' | 'countdown' | 'recording' | 'recorded' | 'uploading';
type CameraProblem = 'denied' | 'missing' | 'busy' | 'insecure' | 'failed';

interface Take {
  blob: Blob;
  url: string;
  name: string;
  /** How long the recording ran; null for a chosen file (its player knows). */
  seconds: number | null;
}

/**
 * Chrome's recorded WebM has no duration in its header, so its player shows no length and cannot be
 * scrubbed until played through. Seeking far past the end makes the browser find the end; then back.
 */
function findDuration(event: Event): void {
  const video = event.currentTarget as HTMLVideoElement;
  if (video.duration !== Infinity) return;
  const back = () => {
    if (video.duration === Infinity) return;
    video.removeEventListener('timeupdate', back);
    video.currentTime = 0;
  };
  video.addEventListener('timeupdate', back);
  video.currentTime = 1e101;
}

export function Recorder({
  question,
  sessionId,
  onClose,
  onSubmitted,
}: {
  question: Question;
  sessionId: string;
  onClose: () => void;
  onSubmitted: (videoId: string) => void;
}) {
  const { t, clock, duration, percent } = useI18n();
  const preview = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [cameraId, setCameraId] = useState<string | undefined>();
  const [micId, setMicId] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const meter = useRef<HTMLMeterElement>(null);
  const [phase, setPhase] = useState<Phase>('preview');
  const [count, setCount] = useState(COUNTDOWN_SEC);
  // Width over height of what the camera (or the take) shows: a phone held upright films portrait.
  const [aspect, setAspect] = useState(16 / 9);
  const [elapsed, setElapsed] = useState(0);
  const [take, setTake] = useState<Take | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sent, setSent] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const uploading = useRef<UploadHandle<Upload> | null>(null);
  const countdownTimer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);

  // Leaving mid-countdown or mid-upload stops both: nothing records or arrives for a closed recorder.
  useEffect(
    () => () => {
      clearInterval(countdownTimer.current);
      if (recorder.current?.state === 'recording') recorder.current.stop();
      uploading.current?.cancel();
    },
    [],
  );

  // The camera and microphone, again whenever a device is picked.
  useEffect(() => {
    if (!navigator.mediaDevices?.getUserMedia) {
      setProblem('insecure');
      return;
    }
    let current: MediaStream | null = null;
    let cancelled = false;
    navigator.mediaDevices
      .getUserMedia({
        video: { deviceId: cameraId ? { exact: cameraId } : undefined, width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: { deviceId: micId ? { exact: micId } : undefined, echoCancellation: true, noiseSuppression: true },
      })
      .then(async (media) => {
        if (cancelled) return media.getTracks().forEach((track) => track.stop());
        current = media;
        setProblem(null);
        setStream(media);
        setDevices(await navigator.mediaDevices.enumerateDevices());
      })
      .catch((caught: DOMException) => {
        if (cancelled) return;
        setProblem(
          caught.name === 'NotAllowedError' || caught.name === 'SecurityError'
            ? 'denied'
            : caught.name === 'NotFoundError' || caught.name === 'OverconstrainedError'
              ? 'missing'
              : caught.name === 'NotReadableError' || caught.name === 'AbortError'
                ? 'busy'
                : 'failed',
        );
      });
    return () => {
      cancelled = true;
      current?.getTracks().forEach((track) => track.stop());
      setStream(null);
    };
  }, [cameraId, micId, attempt]);

  useEffect(() => {
    if (preview.current && phase !== 'recorded') preview.current.srcObject = stream;
  }, [stream, phase]);

  // The microphone level, from the loudness of the last few milliseconds.
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0) return;
    const context = new AudioContext();
    // Safari starts audio contexts suspended until the page is used; the preview's start is enough.
    void context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      // RMS in dBFS mapped from [-60, 0] to [0, 1].
      const db = 10 * Math.log10(sum / samples.length + 1e-10);
      // Written straight to the element: a re-render 60 times a second would cost the recording.
      if (meter.current) meter.current.value = Math.min(1, Math.max(0, (db + 60) / 60));
      frame = requestAnimationFrame(tick);
    };
    tick();
    return () => {
      cancelAnimationFrame(frame);
      void context.close();
    };
  }, [stream]);

  // An unsent take is not lost by accident: leaving asks first.
  useEffect(() => {
    const atRisk = take !== null || phase === 'recording';
    const warn = (event: BeforeUnloadEvent) => {
      if (!atRisk) return;
      event.preventDefault();
      event.returnValue = t.leaveUnsent;
    };
    addEventListener('beforeunload', warn);
    setLeaveGuard(() => (atRisk ? t.leaveUnsent : null));
    return () => {
      removeEventListener('beforeunload', warn);
      setLeaveGuard(null);
    };
  }, [take, phase, t]);

  // Switching tabs while recording: recording continues, and the candidate is told so.
  useEffect(() => {
    const changed = () => {
      if (document.hidden && recorder.current?.state === 'recording') setNotice(t.tabHidden);
    };
    document.addEventListener('visibilitychange', changed);
    return () => document.removeEventListener('visibilitychange', changed);
  }, [t]);

  useEffect(() => () => take && URL.revokeObjectURL(take.url), [take]);

  const start = () => {
    if (!stream) return;
    setNotice(null);
    setError(null);
    setTake(null);
    setPhase('countdown');
    setCount(COUNTDOWN_SEC);
    announce(t.countdown(COUNTDOWN_SEC));
    let left = COUNTDOWN_SEC;
    countdownTimer.current = setInterval(() => {
      left -= 1;
      setCount(left);
      if (left > 0) return;
      clearInterval(countdownTimer.current);
      record();
    }, 1000);
  };

  const record = () => {
    if (!stream?.active) {
      setProblem('failed');
      setPhase('preview');
      return;
    }
    const mimeType = recordingType((type) => MediaRecorder.isTypeSupported(type));
    if (!mimeType) {
      setNotice(t.noRecorder);
      setPhase('preview');
      return;
    }
    const chunks: Blob[] = [];
    const media = new MediaRecorder(stream, { mimeType });
    recorder.current = media;
    const began = performance.now();
    const clockTimer = setInterval(() => {
      const seconds = (performance.now() - began) / 1000;
      setElapsed(seconds);
      if (seconds >= RECORDING_LIMIT_SEC && media.state === 'recording') {
        setNotice(t.limitReached);
        media.stop();
      }
    }, 250);
    media.ondataavailable = (event) => event.data.size && chunks.push(event.data);
    media.onstop = () => {
      clearInterval(clockTimer);
      const type = media.mimeType || mimeType;
      const blob = new Blob(chunks, { type: type.split(';')[0] });
      const extension = type.startsWith('video/mp4') ? '.mp4' : '.webm';
      const seconds = (performance.now() - began) / 1000;
      setTake({ blob, url: URL.createObjectURL(blob), name: `answer${extension}`, seconds });
      setPhase('recorded');
      announce(t.recordingStopped);
    };
    media.start(1000);
    setElapsed(0);
    setPhase('recording');
    announce(t.recording);
  };

  const stop = () => recorder.current?.state === 'recording' && recorder.current.stop();

  const cancelCountdown = () => {
    clearInterval(countdownTimer.current);
    setPhase('preview');
    announce(t.recordingCancelled);
  };

  // The focused control goes with its phase (Start → Cancel → Stop): hand the focus on to the one that
  // replaces it, so a keyboard or screen-reader user is not left on the page's body mid-recording.
  const actions = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (document.activeElement === document.body) actions.current?.querySelector('button')?.focus();
  }, [phase]);

  const takeShape = (event: Event) => {
    const { videoWidth, videoHeight } = event.currentTarget as HTMLVideoElement;
    if (videoWidth && videoHeight) setAspect(videoWidth / videoHeight);
  };

  const chooseFile = (file: File | undefined) => {
    if (!file) return;
    setTake({ blob: file, url: URL.createObjectURL(file), name: file.name, seconds: null });
    setPhase('recorded');
  };

  const submit = async () => {
    if (!take) return;
    const form = new FormData();
    // Fields before the file, so the server can check them before the video arrives.
    form.append('session_id', sessionId);
    form.append('question_id', question.id);
    form.append('file', take.blob, take.name);
    setPhase('uploading');
    setError(null);
    setSent(0);
    announce(t.uploadingVideo);
    const handle = upload<Upload>('/api/video/upload', form, (bytes, total) => setSent(total ? bytes / total : 0));
    uploading.current = handle;
    try {
      const video = await handle.done;
      // The answer is sent: whatever happens next, the review page shows it (and can start the analysis).
      await api<Job>('POST', `/api/video/analyze/${video.video_id}?async=true`).catch(() => {});
      uploading.current = null;
      onSubmitted(video.video_id);
      return;
    } catch (caught) {
      if ((caught as Error).name === 'AbortError') {
        // The notice is itself a status region: announcing it as well would read it out twice.
        setNotice(t.uploadCancelled);
      } else {
        setError(caught);
      }
      setPhase('recorded');
    } finally {
      uploading.current = null;
    }
  };

  const problemText: Record<CameraProblem, string> = {
    denied: t.cameraDenied,
    missing: t.cameraMissing,
    busy: t.cameraBusy,
    insecure: t.cameraInsecure,
    failed: t.cameraFailed,
  };
  const cameras = devices.filter((device) => device.kind === 'videoinput');
  const mics = devices.filter((device) => device.kind === 'audioinput');

  return (
    <section class="recorder panel" aria-labelledby="recorder-heading">
      <div class="recorder-head">
        <h2 id="recorder-heading">{t.recorderTitle}</h2>
        <button type="button" class="link" onClick={onClose} disabled={phase === 'recording'}>
          {t.close}
        </button>
      </div>
      <p class="question-large">{question.text}</p>
      {problem && (
        <div class="error" role="alert">
          <p>{problemText[problem]}</p>
          {problem !== 'insecure' && (
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>
              {t.retryCamera}
            </button>
          )}
        </div>
      )}
      <div class="stage-frame" style={{ '--aspect': aspect }}>
        {phase === 'recorded' || phase === 'uploading' ? (
          // Keyed apart: reusing the preview's element would keep its camera stream (srcObject wins over src).
          <video
            key="take"
            class="playback"
            src={take?.url}
            controls
            playsInline
            aria-label={t.player}
            onLoadedMetadata={(event) => {
              takeShape(event);
              findDuration(event);
            }}
          />
        ) : (
          <video
            key="camera"
            ref={preview}
            class="mirror"
            autoPlay
            muted
            playsInline
            aria-label={t.cameraPreview}
            onLoadedMetadata={takeShape}
            onResize={takeShape}
          />
        )}
        {phase === 'countdown' && (
          <div class="countdown" aria-hidden="true">
            {count}
          </div>
        )}
        {phase === 'recording' && (
          <div class="rec-badge">
            <span class="dot" aria-hidden="true" /> {t.recording} <span class="tabular">{clock(elapsed)}</span> /{' '}
            <span class="tabular">{clock(RECORDING_LIMIT_SEC)}</span>
          </div>
        )}
      </div>
      {phase !== 'recorded' && phase !== 'uploading' && (
        <label class="meter-label">
          {t.micLevel}
          <meter ref={meter} min={0} max={1} low={0.15} high={0.9} optimum={0.5} value={0} />
        </label>
      )}
      {take?.seconds != null && (phase === 'recorded' || phase === 'uploading') && (
        <p class="take-length tabular">{t.recordedLength(clock(take.seconds))}</p>
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorText error={error} />
      {phase === 'uploading' && (
        <div class="row">
          <label class="progress-label grow">
            {t.uploadingVideo} {percent(sent)}
            <progress max={1} value={sent} />
          </label>
          <button type="button" onClick={() => uploading.current?.cancel()}>
            {t.cancel}
          </button>
        </div>
      )}
      <div class="row actions" ref={actions}>
        {phase === 'preview' && (
          <button type="button" class="primary record" onClick={start} disabled={!stream}>
            {t.startRecording}
          </button>
        )}
        {phase === 'countdown' && (
          <button type="button" onClick={cancelCountdown}>
            {t.cancel}
          </button>
        )}
        {phase === 'recording' && (
          <button type="button" class="primary stop" onClick={stop}>
            {t.stopRecording}
          </button>
        )}
        {phase === 'recorded' && (
          <>
            <button type="button" class="primary" onClick={submit}>
              {t.submitAnswer}
            </button>
            <button type="button" onClick={start} disabled={!stream}>
              {t.recordAgain}
            </button>
          </>
        )}
        {(phase === 'preview' || phase === 'recorded') && (
          <label class="button subtle">
            {t.chooseVideo}
            <input
              type="file"
              accept="video/mp4,video/webm,video/quicktime,.mp4,.webm,.mov,.avi"
              class="visually-hidden"
              onChange={(event) => chooseFile(event.currentTarget.files?.[0])}
            />
          </label>
        )}
      </div>
      {phase !== 'recorded' && phase !== 'uploading' && (
        <details class="devices">
          <summary>{t.devices}</summary>
          <div class="device-pickers">
            <label>
              {t.camera}
              <select
                value={cameraId}
                onChange={(event) => setCameraId(event.currentTarget.value || undefined)}
                disabled={phase !== 'preview'}
              >
                {cameras.map((device, index) => (
                  <option key={device.deviceId} value={device.deviceId}>
                    {device.label || `${t.camera} ${index + 1}`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.microphone}
              <select
                value={micId}
                onChange={(event) => setMicId(event.currentTarget.value || undefined)}
                disabled={phase !== 'preview'}
              >
                {mics.map((device, index) => (
                  <option key={device.deviceId} value={device.deviceId}>
                    {device.label || `${t.microphone} ${index + 1}`}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </details>
      )}
      <p class="muted small">{t.limitNote(duration(RECORDING_LIMIT_SEC))}</p>
    </section>
  );
}
