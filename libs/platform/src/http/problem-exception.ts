import { HttpException } from '@nestjs/common';
import { problem, type Problem } from './problem.js';

/** Throw from a controller to answer with a specific problem body. */
export class ProblemException extends HttpException {
  /** `headers`: what the answer carries besides the body, e.g. a 401's `WWW-Authenticate`. */
  constructor(
    readonly problem: Problem,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem, problem.status);
    this.message = problem.detail ? `${problem.title}: ${problem.detail}` : problem.title;
  }

  static notFound(what: string, detail: string): ProblemException {
    return new ProblemException(problem(404, 'not-found', `${what} not found`, { detail }));
  }

  static conflict(code: string, detail: string): ProblemException {
    return new ProblemException(problem(409, code, 'Conflict', { detail }));
  }

  static unprocessable(code: string, detail: string): ProblemException {
    return new ProblemException(problem(422, code, 'Business rule violated', { detail }));
  }

  static unavailable(detail: string): ProblemException {
    return new ProblemException(problem(503, 'unavailable', 'Service unavailable', { detail }));
  }
}
