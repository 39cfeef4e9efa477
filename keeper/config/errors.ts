/** The one error type of the config stage: every message names the variable, what is wrong and what it got. */

/** One bad variable. `got` is already safe to print: a quoted value, `missing`, or `(redacted)` for secrets. */
export interface ConfigProblem {
  variable: string;
  what: string;
  got: string;
}

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.variable}: ${problem.what} (got ${problem.got})`;
}

/**
 * A bad or missing configuration value. The message is one line, `HK_VAR: what is wrong (got <value>)`,
 * several problems joined with "; ". Secret values never appear in it.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** every problem found, in schema order; empty when built from a bare message */
  readonly problems: readonly ConfigProblem[];

  constructor(message: string, problems: readonly ConfigProblem[] = []) {
    super(message);
    this.problems = problems;
  }

  static of(problems: readonly ConfigProblem[]): ConfigError {
    return new ConfigError(problems.map(formatProblem).join("; "), problems);
  }

  /** the first variable at fault, when known */
  get variable(): string | undefined {
    return this.problems[0]?.variable;
  }
}
