/** Progress lines during long phases: files and bytes done, rate. The clock is injected (tests). */
import { formatBytes, formatDuration } from '../../core/time.js';

export class Progress {
  private files = 0;
  private bytes = 0;
  private readonly started: number;
  private lastLine: number;

  constructor(
    private readonly label: string,
    private readonly totalFiles: number,
    private readonly totalBytes: number,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 5000
  ) {
    this.started = now();
    this.lastLine = this.started;
  }

  addBytes(bytes: number): void {
    this.bytes += bytes;
    this.maybeLog();
  }

  fileDone(): void {
    this.files++;
    this.maybeLog();
  }

  get bytesDone(): number {
    return this.bytes;
  }

  private maybeLog(): void {
    const now = this.now();
    if (now - this.lastLine < this.intervalMs) return;
    this.lastLine = now;
    this.log(this.line(now));
  }

  /** `Uploading assets: 120/2000 files, 12.0 MiB of 50.0 MiB (4.0 MiB/s, 3.0s)`. */
  line(now = this.now()): string {
    const elapsed = Math.max(now - this.started, 1);
    const rate = formatBytes(Math.round((this.bytes / elapsed) * 1000));
    return (
      `${this.label}: ${this.files}/${this.totalFiles} files, ${formatBytes(this.bytes)} of ` +
      `${formatBytes(this.totalBytes)} (${rate}/s, ${formatDuration(elapsed)})`
    );
  }

  /** The closing line of a phase. */
  finish(): void {
    this.log(this.line());
  }
}
