/** Run progress: one rewritten line on a TTY, plain lines otherwise (CI logs). Warnings show even with --quiet. */
import type { OutputLine } from "../format/outputs.js";
import type { RunEvents } from "../pipeline/events.js";
import { visibleControls } from "../util/untrusted-text.js";

export class Progress implements RunEvents {
  private done = 0;
  private tokens = 0;
  private total = 0;
  private started = 0;
  private lastPlain = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {}

  private get tty(): boolean {
    return Boolean(this.stream.isTTY);
  }

  note(message: string): void {
    if (this.quiet) return;
    if (this.tty && this.total > 0) this.stream.write("\r\u001b[2K");
    // Messages quote file names and model metadata: each line's controls are shown, not obeyed.
    this.stream.write(message.split("\n").map(visibleControls).join("\n") + "\n");
  }

  warning(message: string): void {
    if (this.tty && this.total > 0 && !this.quiet) this.stream.write("\r\u001b[2K");
    this.stream.write(`bonsai-eval: warning: ${visibleControls(message)}\n`);
  }

  generationStarted(jobs: number): void {
    this.total = jobs;
    this.started = performance.now();
    this.render();
  }

  outputWritten(line: OutputLine): void {
    this.done++;
    const outputTokens = line.output_tokens ?? 0;
    this.tokens += outputTokens;
    if (this.quiet) return;
    if (this.tty) {
      this.render();
      return;
    }
    // Plain output: a line per probe for small runs, about every 5% for big ones.
    const step = Math.max(1, Math.floor(this.total / 20));
    if (this.total <= 50 || this.done - this.lastPlain >= step || this.done === this.total) {
      this.lastPlain = this.done;
      const label = `${line.suite} › ${line.id}${line.sample ? ` #${line.sample}` : ""}${line.cached ? " (cached)" : ""}`;
      const stopReason = line.likelihood ? `${line.likelihood.kind} scored` : (line.stop_reason ?? "");
      this.stream.write(
        `[${this.done}/${this.total}] ${visibleControls(label)}: ${visibleControls(stopReason)}, ${outputTokens} token${outputTokens === 1 ? "" : "s"}, ${line.time_ms ?? 0} ms · ${this.rate()}\n`,
      );
    }
  }

  generationEnded(): void {
    if (this.tty && !this.quiet && this.total > 0) this.stream.write("\n");
  }

  private rate(): string {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? `${(this.tokens / seconds).toFixed(1)} tokens/s` : "";
  }

  private render(): void {
    if (!this.tty || this.quiet) return;
    const seconds = (performance.now() - this.started) / 1000;
    const eta = this.done > 0 ? ((this.total - this.done) * seconds) / this.done : NaN;
    const etaText = Number.isFinite(eta) ? `ETA ${Math.floor(eta / 60)}:${String(Math.round(eta % 60)).padStart(2, "0")}` : "ETA –";
    const width = String(this.total).length;
    this.stream.write(`\r\u001b[2K[${String(this.done).padStart(width)}/${this.total}] ${this.tokens} tokens · ${this.rate() || "–"} · ${etaText}`);
  }
}
