import { InputError } from "../errors.js";

/**
 * The problems found in one suite, in order. A defaults check is resolved for
 * every probe, so the same problem can be found many times: it is said once,
 * naming the probes it was found for when that depends on them.
 */
export class SuiteProblems {
  private readonly found = new Map<string, { error: InputError; probes: string[] }>();

  push(...errors: InputError[]): void {
    for (const error of errors) if (!this.found.has(error.toLine())) this.found.set(error.toLine(), { error, probes: [] });
  }

  /** A problem with a defaults check's spec, met while resolving it for probe `probeId`. */
  pushForProbe(error: InputError, probeId: string): void {
    const entry = this.found.get(error.toLine()) ?? { error, probes: [] };
    entry.probes.push(probeId);
    this.found.set(error.toLine(), entry);
  }

  get size(): number {
    return this.found.size;
  }

  list(): InputError[] {
    return [...this.found.values()].map(({ error, probes }) =>
      probes.length === 0 ? error : new InputError(`${error.message} (for probe${probes.length > 1 ? "s" : ""} ${probes.join(", ")})`, error.location),
    );
  }
}
