/**
 * Bad input is a value, not a stack trace: it names where the problem is so the
 * CLI can print one line and exit 2. Everything user-facing that can be wrong
 * (a suite, a flag, a model file, an outputs line) throws an InputError.
 */
export interface InputLocation {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path of the offending key, e.g. `probes[3].checks[0].type`. */
  field?: string;
}

export class InputError extends Error {
  readonly location: InputLocation;

  constructor(message: string, location: InputLocation = {}) {
    super(message);
    this.name = "InputError";
    this.location = location;
  }

  /** `suites/ja.yaml:12:5: probes[3].id: duplicate probe id "fuji"` */
  toLine(): string {
    const { file, line, column, field } = this.location;
    let where = file ?? "";
    if (file && line !== undefined) where += `:${line}`;
    if (file && line !== undefined && column !== undefined) where += `:${column}`;
    const parts = [where, field, this.message].filter((part) => part !== undefined && part !== "");
    return parts.join(": ");
  }
}

/** Several input errors found in one pass (e.g. every problem in a suite). */
export class InputErrors extends Error {
  readonly errors: InputError[];

  constructor(errors: InputError[]) {
    super(errors.map((error) => error.toLine()).join("\n"));
    this.name = "InputErrors";
    this.errors = errors;
  }
}

export function isInputError(error: unknown): error is InputError | InputErrors {
  return error instanceof InputError || error instanceof InputErrors;
}
