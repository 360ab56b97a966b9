import { testImageName } from '../../image-name.js';

describe('the image npm run test:image builds', () => {
  it('is tagged per port base, so concurrent runs on one machine never run or remove each other’s build', () => {
    expect(testImageName(23000)).toBe('localhost/boxoffice:test-23000');
    expect(testImageName(23000)).not.toBe(testImageName(24000));
  });

  it('refuses a port base that is no port base', () => {
    expect(() => testImageName(Number.NaN)).toThrow(/port base/);
  });
});
