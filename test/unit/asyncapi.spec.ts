import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Parser } from '@asyncapi/parser';
import { allTopics } from '@boxoffice/contracts';
import { asyncApiDocument } from '../../tools/asyncapi/asyncapi-document.js';

const document = asyncApiDocument();

describe('the AsyncAPI document (docs/asyncapi.json)', () => {
  it('parses with the official AsyncAPI parser, without errors', async () => {
    const { diagnostics } = await new Parser().parse(JSON.stringify(document));
    // Severity 0 is an error; warnings and hints are advice.
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
  });

  it('names every topic of libs/contracts, dead-letter topics included', () => {
    const addresses = Object.values(document.channels as Record<string, { address: string }>).map((c) => c.address);
    expect(addresses.sort()).toEqual(allTopics().map((topic) => topic.name).sort());
  });

  it('is the committed file: `npm run asyncapi` regenerates it', () => {
    const committed = JSON.parse(readFileSync(new URL('../../docs/asyncapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(document);
  });
});
