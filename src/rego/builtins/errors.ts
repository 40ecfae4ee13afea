// The error a host builtin raises, shaped like OPA's topdown.Error so that
// strict mode can print exactly what OPA prints.

/** OPA's error classes for builtin failures. */
export type BuiltinErrorCode = "eval_builtin_error" | "eval_type_error" | "eval_conflict_error";

export class BuiltinError extends Error {
  readonly code: BuiltinErrorCode;
  /**
   * OPA prefixes a builtin's own error with the builtin's name
   * ("sprintf: …"); a few builtins raise a complete topdown error whose
   * message carries no such prefix (http.send's parameter checks).
   */
  readonly prefixed: boolean;

  constructor(message: string, code: BuiltinErrorCode = "eval_builtin_error", prefixed = true) {
    super(message);
    this.name = "BuiltinError";
    this.code = code;
    this.prefixed = prefixed;
  }

  /** The message as OPA reports it: "<class>: <name>: <message>". */
  format(builtin: string): string {
    return this.prefixed ? `${this.code}: ${builtin}: ${this.message}` : `${this.code}: ${this.message}`;
  }
}

/** A type error on one operand (OPA's builtins.ErrOperand → eval_type_error). */
export function operandError(pos: number, message: string): BuiltinError {
  return new BuiltinError(`operand ${pos} ${message}`, "eval_type_error");
}

/** A builtin error (OPA's plain `error` → eval_builtin_error). */
export function builtinError(message: string): BuiltinError {
  return new BuiltinError(message, "eval_builtin_error");
}
