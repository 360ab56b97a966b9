import { fail, ok, violation, type Result } from '@boxoffice/ddd';

export function admit(valid: boolean): Result<'admitted'> {
  return valid ? ok('admitted') : fail(violation('invalid-ticket', 'the ticket is not valid'));
}
