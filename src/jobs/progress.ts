// A job's overall progress from the pipeline's stage-by-stage reports. The face and speech stages run
// side by side, so each adds its own share, and the sum never goes back.
import type { Stage } from '../analysis/pipeline.ts';

/** Shares of the whole analysis: reading the file, then face and speech together, then the metrics. */
export const PROGRESS_SHARES = { probe: 0.05, face: 0.75, speech: 0.15, metrics: 0.05 } as const;

export interface OverallProgress {
  /** What the job is waiting on: `face` while the face stage runs, `speech` once only speech is left. */
  stage: Stage;
  /** 0 to 1, rounded to three decimals. */
  progress: number;
}

export class JobProgress {
  private face = 0;
  /** Null while the speech stage has not started (or is not run at all). */
  private speech: number | null = null;
  private probed = false;
  private finishing: 'metrics' | 'done' | null = null;

  /** Takes one report of the pipeline (a stage and its own progress) and says where the whole job is. */
  update({ stage, progress }: { stage: Stage; progress: number }): OverallProgress {
    if (stage === 'face') this.face = Math.max(this.face, progress);
    if (stage === 'speech') this.speech = Math.max(this.speech ?? 0, progress);
    if (stage === 'face' || stage === 'speech') this.probed = true;
    if (stage === 'metrics' || stage === 'done') this.finishing = stage;
    return { stage: this.stage(), progress: Number(this.overall().toFixed(3)) };
  }

  private overall(): number {
    if (this.finishing === 'done') return 1;
    if (this.finishing === 'metrics') return 1 - PROGRESS_SHARES.metrics;
    return (
      (this.probed ? PROGRESS_SHARES.probe : 0) +
      PROGRESS_SHARES.face * this.face +
      PROGRESS_SHARES.speech * (this.speech ?? 0)
    );
  }

  private stage(): Stage {
    if (this.finishing) return this.finishing;
    if (!this.probed) return 'probe';
    return this.face >= 1 && this.speech !== null && this.speech < 1 ? 'speech' : 'face';
  }
}
