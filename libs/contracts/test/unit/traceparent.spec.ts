import { traceIdOfTraceparent } from '../../src/index.js';

describe('the trace id of a traceparent', () => {
  it('is its second field', () => {
    expect(traceIdOfTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it.each([
    ['none', null],
    ['empty', ''],
    ['not W3C', 'uber-trace-id 4bf92f3577b34da6a3ce929d0e0e4736:1:0:1'],
    ['upper case', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
    ['the all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['something after it', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra'],
  ])('is null for %s', (_what, traceparent) => {
    expect(traceIdOfTraceparent(traceparent)).toBeNull();
  });
});
