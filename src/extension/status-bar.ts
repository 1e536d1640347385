import * as vscode from 'vscode';
import { Throttle } from '../common/throttle';
import type { Job } from './job';
import type { JobQueue } from './job-queue';
import { COMMANDS } from './manifest';

const UPDATE_MS = 250;

/** The running job's progress and the queue's length; a click shows the job's panel. Hidden when idle. */
export class JobStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('neuralStyle.jobs', vscode.StatusBarAlignment.Left, 10);
  private watched?: { job: Job; subscription: { dispose(): void } };
  private readonly queueSubscription: { dispose(): void };
  private readonly throttle = new Throttle(UPDATE_MS);

  constructor(private readonly queue: JobQueue<Job>) {
    this.item.name = 'Neural Style';
    this.item.command = COMMANDS.showJob;
    this.queueSubscription = queue.onDidChange(() => this.follow());
  }

  dispose(): void {
    this.watched?.subscription.dispose();
    this.queueSubscription.dispose();
    this.item.dispose();
  }

  private follow(): void {
    const running = this.queue.running;
    if (this.watched?.job !== running) {
      this.watched?.subscription.dispose();
      this.watched = running && {
        job: running,
        subscription: running.onEvent((e) => {
          if (e.kind === 'progress' && !this.throttle.due()) return;
          this.update();
        }),
      };
    }
    this.update();
  }

  private update(): void {
    const job = this.queue.running;
    const waiting = this.queue.queued.length;
    if (!job && waiting === 0) {
      this.item.hide();
      return;
    }
    const p = job?.progress;
    const percent = p ? ` ${Math.floor((100 * p.step) / p.totalSteps)}%` : '';
    const more = waiting > 0 ? ` +${waiting}` : '';
    this.item.text = `$(loading~spin) ${job ? job.content.name : 'Neural Style'}${percent}${more}`;
    const lines = [
      job ? `Stylizing ${job.title}` : '',
      job && p ? `Step ${p.step} of ${p.totalSteps}, ${p.width}×${p.height}` : job?.message ?? '',
      waiting > 0 ? `${waiting} more job${waiting > 1 ? 's' : ''} waiting` : '',
      'Click to show the job',
    ];
    this.item.tooltip = lines.filter(Boolean).join('\n');
    this.item.accessibilityInformation = { label: `Neural Style: ${lines.filter(Boolean).join('. ')}` };
    this.item.show();
  }
}
