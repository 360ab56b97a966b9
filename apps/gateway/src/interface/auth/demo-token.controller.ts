import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ProblemException, ZodPipe } from '@boxoffice/platform';
import { ApiAnswer, ApiJsonBody, ApiProblems } from '../http/openapi.js';
import { AUTH_SETTINGS, type AuthSettings } from './auth-settings.js';

const DemoTokenRequest = z.object({ username: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes') }).strict();
const DemoToken = z.object({ accessToken: z.string(), tokenType: z.literal('Bearer') });

/**
 * Tokens for demo users, so the API can be tried with curl: `admin` gets the
 * admin role, any other name is a customer of that name. Only when DEMO_AUTH
 * is on (the local stack); a real deployment uses its identity provider.
 */
@ApiTags('auth')
@Controller('auth')
export class DemoTokenController {
  constructor(
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  @Post('demo-token')
  @HttpCode(200)
  @ApiOperation({ summary: 'A bearer token for a demo user (local stacks only)' })
  @ApiJsonBody(DemoTokenRequest)
  @ApiAnswer(200, 'DemoToken', DemoToken, 'A bearer token, valid for 12 hours')
  @ApiProblems(404)
  async issue(@Body(new ZodPipe(DemoTokenRequest)) body: z.infer<typeof DemoTokenRequest>): Promise<z.infer<typeof DemoToken>> {
    if (!this.settings.demoTokens) throw ProblemException.notFound('Route', 'demo tokens are disabled');
    const role = body.username === 'admin' ? 'admin' : 'customer';
    const accessToken = await this.jwt.signAsync({ sub: body.username, email: `${body.username}@example.test`, role });
    return { accessToken, tokenType: 'Bearer' };
  }
}
