/**
 * Messages about probes made from records name the data file, the record's
 * line (or JSON path) and its field; everything else in the suite is named in
 * the YAML, as before. Probes `probes[first…]` are the records, in order.
 */
import { InputError, type InputLocation } from "../../errors.js";
import { fieldName } from "../../util/ajv.js";
import type { Locator, PathSegments } from "../../util/yaml-source.js";
import type { MappedRecord } from "./mapping.js";
import type { DataFile } from "./records.js";

export class DataLocator implements Locator {
  constructor(
    private readonly yaml: Locator,
    private readonly data: DataFile,
    private readonly first: number,
    private readonly records: readonly MappedRecord[],
  ) {}

  get file(): string {
    return this.yaml.file;
  }

  private recordAt(segments: PathSegments): { mapped: MappedRecord; rest: PathSegments } | null {
    if (segments[0] !== "probes" || typeof segments[1] !== "number" || segments[1] < this.first) return null;
    const mapped = this.records[segments[1] - this.first];
    return mapped ? { mapped, rest: segments.slice(2) } : null;
  }

  /** The record field behind a probe key (`expected` ← `output`); a key no field gave (checks) is named as the probe's. */
  private where(mapped: MappedRecord, rest: PathSegments): InputLocation {
    const key = rest[0];
    const field = typeof key === "string" ? mapped.fieldOf[key as keyof MappedRecord["fieldOf"]] : undefined;
    const location = this.data.locate(mapped.record, field);
    if (field !== undefined || rest.length === 0) return location;
    return { ...location, field: [location.field, `probe ${fieldName(rest)}`].filter(Boolean).join(" → ") };
  }

  locate(segments: PathSegments, key = false): { line: number; column: number } {
    const found = this.recordAt(segments);
    if (!found) return this.yaml.locate(segments, key);
    const { line, column } = this.where(found.mapped, found.rest);
    return { line: line ?? 0, column: column ?? 0 };
  }

  origin(segments: PathSegments): { file: string; line: number } {
    const found = this.recordAt(segments);
    if (!found) return this.yaml.origin(segments);
    return { file: this.data.file, line: this.data.locate(found.mapped.record).line ?? 0 };
  }

  error(message: string, segments: PathSegments, key = false): InputError {
    const found = this.recordAt(segments);
    if (!found) return this.yaml.error(message, segments, key);
    return new InputError(message, this.where(found.mapped, found.rest));
  }
}
