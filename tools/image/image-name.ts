/**
 * The tag `npm run test:image` builds and runs. Several checkouts on one
 * machine share podman's image store: each run tags its own build by its
 * port base (which places its stack, so no two concurrent runs share one),
 * and never runs, or removes, another run's image.
 */
export function testImageName(portBase: number): string {
  if (!Number.isInteger(portBase) || portBase <= 0) throw new Error(`invalid port base ${portBase}`);
  return `localhost/boxoffice:test-${portBase}`;
}
