import { MAX_PREPARED_TEXTS, statementName } from '../../src/guarded-client.js';

describe('statementName', () => {
  it('gives one SQL text one name, and another text another', () => {
    const first = statementName('SELECT $1::int AS a');

    expect(statementName('SELECT $1::int AS a')).toBe(first);
    expect(statementName('SELECT $1::int AS b')).not.toBe(first);
  });

  it('names no more than MAX_PREPARED_TEXTS texts, so texts that keep changing run unnamed', () => {
    const named = Array.from({ length: MAX_PREPARED_TEXTS + 5 }, (_, i) => statementName(`SELECT ${i} + $1::int`));

    expect(named.filter((name) => name !== undefined).length).toBeLessThanOrEqual(MAX_PREPARED_TEXTS);
    expect(named.at(-1)).toBeUndefined();
    // A text named before the cap was reached keeps its name.
    expect(statementName('SELECT 0 + $1::int')).toBe(named[0]);
  });
});
