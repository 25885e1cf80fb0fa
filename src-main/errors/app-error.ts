import type { BridgeFailure, FieldProblem } from '../../src-shared/contract/envelope';
import type { ErrorCode } from '../../src-shared/domain/error-codes';

/**
 * A failure the admin can be told about: a code the UI can explain, a sentence, and the next step.
 * Anything else thrown in main is reported to the renderer as `internal` without its message.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly nextStep: string | undefined;
  readonly fields: FieldProblem[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { nextStep?: string; fields?: FieldProblem[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.nextStep = options.nextStep;
    this.fields = options.fields;
  }

  toFailure(): BridgeFailure {
    return {
      code: this.code,
      message: this.message,
      ...(this.nextStep ? { nextStep: this.nextStep } : {}),
      ...(this.fields ? { fields: this.fields } : {}),
    };
  }
}
