// Ctrl-C for the training commands: hours of training must not be lost to one keystroke.
import type { Callback, TrainingModel } from '../model/callbacks.js';

/**
 * A callback for the CLI's training runs. During `fit`, the first Ctrl-C (SIGINT) asks training to stop after
 * the current batch, so that the job can save what it has and say how to go on; a second Ctrl-C, or one
 * outside training (loading data, evaluating), quits at once with exit code 130 as usual. Call `dispose()`
 * when the job ends.
 */
export class CtrlC implements Callback {
  /** Whether a Ctrl-C stopped training. */
  interrupted = false;
  private model: TrainingModel | null = null;
  private training = false;
  private readonly onSignal = (): void => {
    if (this.interrupted || !this.training || !this.model) {
      // NOTE: this may cut off the checkpoint save that the first Ctrl-C started. That is safe: a save switches
      // the folder from the old model to the new one in one rename (io/model-transaction.ts), so the checkpoint
      // holds the previous save whole, and the exit hook of io/folder-lock.ts removes this run's lock files.
      process.stderr.write('\n');
      process.exit(130);
    }
    this.interrupted = true;
    this.model.stopTraining = true;
    process.stderr.write('\nCtrl-C: stopping after the current batch (press Ctrl-C again to quit at once)\n');
  };

  constructor() {
    process.on('SIGINT', this.onSignal);
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal);
  }

  setModel(model: TrainingModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.training = true;
    // a later fit of the same job (e.g. a refit) does not start once the user asked to stop
    if (this.interrupted) this.model!.stopTraining = true;
  }

  onTrainEnd(): void {
    this.training = false;
  }
}
