import type { IncomingMessage, ServerResponse } from 'node:http';
import { problem, PROBLEM_CONTENT_TYPE } from './problem.js';

interface Resource {
  pattern: RegExp;
  allow: string[];
}

/**
 * Express answers a method a path does not have as an unknown route (404).
 * This middleware, given the OpenAPI document's paths, answers it as RFC 9110
 * asks: 405 with an `Allow` header naming the methods the resource has, and
 * OPTIONS with 204 and the same header. Paths the document does not know go
 * on to the router.
 */
export function methodNotAllowed(paths: Record<string, Record<string, unknown>>) {
  const resources: Resource[] = Object.entries(paths).map(([template, operations]) => {
    const methods = Object.keys(operations).map((method) => method.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const pattern = new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}/?$`);
    return { pattern, allow: [...methods, 'OPTIONS'] };
  });
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const resource = resources.find((candidate) => candidate.pattern.test(path));
    const method = request.method ?? 'GET';
    if (!resource || (resource.allow.includes(method) && method !== 'OPTIONS')) return next();
    response.setHeader('Allow', resource.allow.join(', '));
    if (method === 'OPTIONS') {
      response.statusCode = 204;
      response.end();
      return;
    }
    const body = JSON.stringify(problem(405, 'method-not-allowed', 'Method not allowed', { detail: `${path} allows ${resource.allow.join(', ')}`, instance: request.url }));
    response.statusCode = 405;
    response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    response.end(body);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
