import { ErrorCodes, RolehopError, isRolehopError, type ErrorCode } from '../errors.js';
import { unchangedFailure, unchangedNote, type FailureText } from './messages.js';
import type { RotationReport, RotationStepName, RotationStepResult } from './report.js';
import type { RotationRequest } from './deps.js';

/**
 * The report of one rotation as its steps fill it in, and the failures that
 * carry it: every RolehopError a rotation throws has the report as
 * `details.report`, so `--json` can print what happened up to the failure.
 */
export class RotationRecord {
  readonly report: RotationReport;

  constructor(req: RotationRequest) {
    this.report = { profile: req.profile, keyProfile: req.keyProfile, resumed: false, ok: false, steps: [], cleanup: [] };
  }

  /** Appends a step result. */
  step(step: RotationStepName, outcome: RotationStepResult['outcome'], extra: { attempts?: number; detail?: string } = {}): void {
    this.report.steps.push({ step, outcome, ...extra });
  }

  /** A failure with the report attached. */
  fail(code: ErrorCode, text: FailureText, cause?: unknown): RolehopError {
    return new RolehopError(code, text.message, { hint: text.hint, ...(cause !== undefined ? { cause } : {}), details: { report: this.report } });
  }

  /** A failure before anything changed: a RolehopError keeps its code and hint; anything else becomes ERR_ROTATE. */
  failUnchanged(e: unknown, what: string): RolehopError {
    if (isRolehopError(e)) {
      return new RolehopError(e.code, unchangedNote(e.message, what), {
        ...(e.hint ? { hint: e.hint } : {}),
        cause: e,
        details: { ...e.details, report: this.report },
      });
    }
    return this.fail(ErrorCodes.ROTATE, unchangedFailure(what, e), e);
  }
}
