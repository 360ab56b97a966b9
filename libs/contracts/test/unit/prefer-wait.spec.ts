import { MAX_ORDER_WAIT_SECONDS, preferredWaitSeconds } from '../../src/api/ordering-api.js';

describe('the wait preference (Prefer: wait=N)', () => {
  it.each([
    ['wait=5', 5],
    ['WAIT = 7', 7],
    ['wait="3"', 3],
    ['respond-async, wait=10', 10],
    ['respond-async; foo=bar, wait=2; x=y', 2],
    ['wait=0', 0],
  ])('reads %p as %p seconds', (header, seconds) => {
    expect(preferredWaitSeconds(header)).toBe(seconds);
  });

  it('caps the wait', () => {
    expect(preferredWaitSeconds('wait=3600')).toBe(MAX_ORDER_WAIT_SECONDS);
    expect(preferredWaitSeconds('wait=9', 4)).toBe(4);
  });

  it.each([[undefined], [''], ['respond-async'], ['wait'], ['wait=-1'], ['wait=1.5'], ['wait=soon'], ['handling=strict']])('ignores %p (no wait)', (header) => {
    expect(preferredWaitSeconds(header)).toBe(0);
  });

  it('reads the preference from any of several Prefer headers', () => {
    expect(preferredWaitSeconds(['handling=lenient', 'wait=4'])).toBe(4);
  });
});
