import { writeFileSync } from 'node:fs';
import { resolveFromRepo } from '../stack/paths.js';
import { asyncApiDocument } from './asyncapi-document.js';

/** `npm run asyncapi`: writes docs/asyncapi.json from libs/contracts. */
const path = resolveFromRepo('docs/asyncapi.json');
writeFileSync(path, `${JSON.stringify(asyncApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${path}\n`);
