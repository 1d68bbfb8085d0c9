/** A one-line progress display on stderr, drawn only when stderr is a terminal. */
export class Progress {
  private lastDraw = 0;
  private readonly enabled: boolean;
  private readonly started = performance.now();

  constructor(
    private readonly label: string,
    private total: number | undefined,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(stream.isTTY);
  }

  setTotal(total: number): void {
    this.total = total;
  }

  /** Redraw with `done` items finished and extra text; throttled to ten draws a second. */
  update(done: number, detail: string, force = false): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? `${(done / seconds).toFixed(0)}/s` : '';
    let bar = '';
    if (this.total) {
      const width = 24;
      const filled = Math.min(width, Math.round((done / this.total) * width));
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} `;
    } else {
      bar = `${done} `;
    }
    this.stream.write(`\r\u001b[2K${this.label} ${bar}${rate} ${detail}`);
  }

  end(): void {
    if (this.enabled) this.stream.write('\r\u001b[2K');
  }
}
