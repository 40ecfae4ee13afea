// What every `writ` subcommand provides.
export interface Command {
  /** full `--help` text */
  help: string;
  /** runs with the arguments after the command name; resolves to the exit code */
  run(argv: string[]): Promise<number>;
}

/** Thrown for bad command-line usage; main prints it with the help hint. */
export class UsageError extends Error {}
