import { CustomerOrdersLimit, NonBlankText, PlaceOrderRequest, RegisterVenueRequest, ScheduleShowRequest, SeatIds, Text } from '@boxoffice/contracts';

/** What every context refuses at the schema, before anything reaches a database. */
describe('text from outside', () => {
  it('refuses a NUL character and an unpaired surrogate, and takes any other text', () => {
    expect(Text.safeParse('Blue\u0000Hall').success).toBe(false);
    expect(Text.safeParse('Blue \ud800Hall').success).toBe(false);
    expect(Text.safeParse('Blue \udc00Hall').success).toBe(false);
    expect(Text.safeParse('Blue Hall 🎭 « Salle bleue »\n\t').success).toBe(true);
  });

  it('applies to every string field a client sends', () => {
    expect(RegisterVenueRequest.safeParse({ name: 'a\u0000', sections: [{ code: 'A', rows: 1, seatsPerRow: 1, priceTier: 'S' }] }).success).toBe(false);
    const show = { venueId: '01960000-0000-7000-8000-000000000001', startsAt: '2027-03-01T20:00:00Z', priceTiers: [{ code: 'S', priceMinor: 1, currency: 'EUR' }] };
    expect(ScheduleShowRequest.safeParse({ ...show, title: 'x\u0000' }).success).toBe(false);
    expect(ScheduleShowRequest.safeParse({ ...show, title: 'x' }).success).toBe(true);
    expect(SeatIds.safeParse(['A-1-1\u0000']).success).toBe(false);
    const order = { showId: '01960000-0000-7000-8000-000000000001', seatIds: ['A-1-1'] };
    expect(PlaceOrderRequest.safeParse({ ...order, callbackUrl: 'http://127.0.0.1:41234/hooks/\u0000' }).success).toBe(false);
  });
});

describe('names and titles', () => {
  const show = { venueId: '01960000-0000-7000-8000-000000000001', startsAt: '2027-03-01T20:00:00Z', priceTiers: [{ code: 'S', priceMinor: 1, currency: 'EUR' }] };

  it('refuses a blank one, whatever white space it is made of', () => {
    for (const title of ['', ' ', '\t\n', '\u00a0\u3000', '\ufeff']) expect({ title, accepted: ScheduleShowRequest.safeParse({ ...show, title }).success }).toEqual({ title, accepted: false });
  });

  it('refuses a 64 kB one ending in a NUL with one error, without backtracking through it', () => {
    for (const title of [`${'a'.repeat(64_000)}\u0000`, `${' '.repeat(64_000)}\u0000`]) {
      expect(ScheduleShowRequest.safeParse({ ...show, title }).error?.issues.map((issue) => issue.path.join('.'))).toEqual(['title']);
    }
    const noBound = NonBlankText(200_000);
    expect(noBound.safeParse(`${'a'.repeat(64_000)}\u0000`).success).toBe(false);
    expect(noBound.safeParse(`${' '.repeat(64_000)}a${' '.repeat(64_000)}`).success).toBe(true);
  });

  it('stores one trimmed, bounded by its length as sent', () => {
    expect(ScheduleShowRequest.parse({ ...show, title: '  Opening night \n' }).title).toBe('Opening night');
    expect(ScheduleShowRequest.safeParse({ ...show, title: ` ${'x'.repeat(200)}` }).success).toBe(false);
  });
});

describe('callback URLs', () => {
  const order = { showId: '01960000-0000-7000-8000-000000000001', seatIds: ['A-1-1'] };
  const accepts = (callbackUrl: string) => PlaceOrderRequest.safeParse({ ...order, callbackUrl }).success;

  it('takes http(s) URLs with a host name or an IPv4 address, a port, a path and a query', () => {
    expect(accepts('http://127.0.0.1:41234/hooks/orders')).toBe(true);
    expect(accepts('https://hooks.example.com/orders?token=abc&x=1')).toBe(true);
    expect(accepts('https://hooks.example.com')).toBe(true);
  });

  it('refuses what the URL parser would refuse, and other schemes', () => {
    for (const url of ['', 'ftp://x', 'http://', 'http://a.1/', 'http://300.1.1.1/', 'http://a:99999/', 'http://xn--a/', 'http://a b/']) expect({ url, accepted: accepts(url) }).toEqual({ url, accepted: false });
  });

  it('says once what is wrong with a refused URL', () => {
    const issues = (callbackUrl: string) =>
      PlaceOrderRequest.safeParse({ ...order, callbackUrl }).error?.issues.map(({ path, message }) => ({ path: path.join('.'), message }));
    const one = [{ path: 'callbackUrl', message: 'an http(s) URL with a host name or IPv4 address' }];
    for (const url of ['', 'ftp://x', 'http://', 'http://a.1/', 'http://300.1.1.1/', 'http://a:99999/', 'http://xn--a/', 'http://a b/']) expect({ url, issues: issues(url) }).toEqual({ url, issues: one });
    expect(issues(`https://hooks.example.com/${'x'.repeat(2000)}`)).toEqual([{ path: 'callbackUrl', message: 'at most 2000 characters' }]);
  });
});

describe('numbers from outside', () => {
  const messages = (schema: { safeParse(value: unknown): { error?: { issues: { message: string }[] } } }, value: unknown) => schema.safeParse(value).error?.issues.map(({ message }) => message);
  const venue = (rows: unknown) => ({ name: 'Hall', sections: [{ code: 'A', rows, seatsPerRow: 1, priceTier: 'S' }] });
  const show = (priceMinor: unknown) => ({ venueId: '01960000-0000-7000-8000-000000000001', title: 't', startsAt: '2027-03-01T20:00:00Z', priceTiers: [{ code: 'S', priceMinor, currency: 'EUR' }] });

  it('says once that a huge number is too big, with the bound that applies', () => {
    expect(messages(RegisterVenueRequest, venue(1e23))).toEqual(['Too big: expected number to be <=200']);
    expect(messages(ScheduleShowRequest, show(1e23))).toEqual(['Too big: expected number to be <=10000000']);
    expect(messages(CustomerOrdersLimit, '99999999999999999999999')).toEqual(['Too big: expected number to be <=100']);
  });

  it('still refuses fractions and takes the bounds', () => {
    expect(messages(RegisterVenueRequest, venue(1.5))).toEqual(['Invalid input: expected int, received number']);
    expect(messages(CustomerOrdersLimit, '2.5')).toEqual(['Invalid input: expected int, received number']);
    expect(RegisterVenueRequest.safeParse(venue(200)).success).toBe(true);
    expect(ScheduleShowRequest.safeParse(show(0)).success).toBe(true);
    expect(CustomerOrdersLimit.safeParse('100').data).toBe(100);
  });
});
