/**
 * Errors a user can meet. Each carries the exit code the CLI returns and, where useful,
 * a hint saying what to do next. Anything else reaching the CLI is a bug.
 */

export const ExitCode = {
  /** Nothing at or above the failure threshold. */
  Clean: 0,
  /** Findings at or above `--fail-on`. */
  Findings: 1,
  /** Usage error or bad input (unreadable file, unparsable argument, hostile archive). */
  Usage: 2,
  /** The environment or an external tool failed (no engine, `go build` failed, registry down). */
  Environment: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class GoimgError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: ExitCodeValue, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Wrong flags or arguments. */
export class UsageError extends GoimgError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.Usage, hint);
  }
}

/** Input that cannot be read or understood: missing file, truncated binary, hostile archive. */
export class InputError extends GoimgError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.Usage, hint);
  }
}

/** The machine lacks something or an external tool failed. */
export class EnvironmentError extends GoimgError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.Environment, hint);
  }
}

export function isGoimgError(err: unknown): err is GoimgError {
  return err instanceof GoimgError;
}
