import type { Io } from '../run.ts';

/**
 * Progress of one kind of object on standard error: a bar redrawn in place on a terminal, a line
 * per tenth otherwise (logs and pipes get no carriage returns).
 */
export class Progress {
  private done_ = 0;
  private lastTenth = -1;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly io: Io,
    private readonly label: string,
    private readonly total: number | undefined,
  ) {}

  advance(n: number): void {
    this.done_ += n;
    const share = this.total ? Math.min(1, this.done_ / this.total) : 0;
    if (this.tty) {
      const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
      process.stderr.write(`\r${this.label.padEnd(11)} [${bar}] ${this.count()}`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (this.total && tenth > this.lastTenth && tenth < 10) {
      this.lastTenth = tenth;
      this.io.err(`${this.label}: ${this.count()}`);
    }
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
    this.io.err(`${this.label}: ${this.count()} done`);
  }

  private count(): string {
    return this.total === undefined ? String(this.done_) : `${this.done_}/${this.total}`;
  }
}
