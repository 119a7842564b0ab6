import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { DEMO_ADMIN_EMAIL } from '../demo/demo.constants.ts';
import { canAdminister, canRead } from './access.ts';
import { SESSION_COOKIE } from './auth.hooks.ts';
import {
  changePasswordBody,
  createdToken,
  createdUser,
  createTokenBody,
  createUserBody,
  resetPassword,
  setupBody,
  setupStatus,
  signInBody,
  tokenIdParams,
  tokenSchema,
  tokensList,
  updateUserBody,
  userIdParams,
  userResponse,
  userSchema,
  usersList,
} from './auth.schema.ts';
import * as auth from './auth.service.ts';

const tags = ['auth'];

export async function authRoutes(app: App, deps: AppDeps) {
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.secureCookies,
      maxAge: 14 * 86_400,
    });

  app.get(
    '/api/setup',
    { config: { access: 'public' }, schema: { tags, response: { 200: setupStatus } } },
    async () => {
      const needsSetup = await auth.needsSetup(deps);
      const demoAdmin = needsSetup ? undefined : await auth.findUserByEmail(deps, DEMO_ADMIN_EMAIL);
      return { needsSetup, demoAdminEmail: demoAdmin?.email ?? null };
    },
  );

  app.post(
    '/api/setup',
    { config: { access: 'public' }, schema: { tags, body: setupBody, response: { 201: userResponse } } },
    async (request, reply) => {
      const { user, sessionToken } = await auth.setUpFirstAdmin(deps, request.body);
      setSessionCookie(reply, sessionToken);
      return reply.status(201).send({ user });
    },
  );

  app.post(
    '/api/auth/sign-in',
    { config: { access: 'public' }, schema: { tags, body: signInBody, response: { 200: userResponse } } },
    async (request, reply) => {
      const { user, sessionToken } = await auth.signIn(deps, request.body);
      setSessionCookie(reply, sessionToken);
      return { user };
    },
  );

  app.post(
    '/api/auth/sign-out',
    { config: { access: 'signed-in' }, schema: { tags, response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.signOut(deps, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { config: { access: 'signed-in' }, schema: { tags, response: { 200: userResponse } } },
    async (request) => ({ user: await auth.currentUser(deps, request.principal!) }),
  );

  app.post(
    '/api/tokens',
    {
      config: { access: canAdminister },
      schema: { tags, body: createTokenBody, response: { 201: createdToken } },
    },
    async (request, reply) => {
      const created = await auth.createApiToken(deps, {
        ...request.body,
        createdBy: request.principal?.userId ?? null,
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/tokens',
    {
      config: { access: canAdminister },
      schema: { tags, summary: 'Every API token: live first, then revoked', response: { 200: tokensList } },
    },
    async () => ({ items: await auth.listApiTokens(deps) }),
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Revoke a token: its next request answers 401',
        params: tokenIdParams,
        response: { 200: tokenSchema },
      },
    },
    async (request) => auth.revokeApiToken(deps, request.params.id),
  );

  app.get(
    '/api/users',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'The team: who signs in, their role, and who approves definitions',
        response: { 200: usersList },
      },
    },
    async () => ({ items: await auth.listUsers(deps) }),
  );

  app.post(
    '/api/users',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Add a teammate; without a password one is generated and shown once',
        body: createUserBody,
        response: { 201: createdUser },
      },
    },
    async (request, reply) => reply.status(201).send(await auth.addUser(deps, request.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary:
          'Change a teammate: name, team, role, approver, or turn the account off (active: false) and on',
        params: userIdParams,
        body: updateUserBody,
        response: { 200: userSchema },
      },
    },
    async (request) => auth.changeUser(deps, request.params.id, request.body),
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'Change your own password; your other sessions end',
        body: changePasswordBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await auth.changeOwnPassword(deps, request.principal!, request.body, request.cookies[SESSION_COOKIE]);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/users/:id/password',
    {
      config: { access: canAdminister },
      schema: {
        tags,
        summary: 'Give a teammate a new password (generated, shown once); their sessions end',
        params: userIdParams,
        response: { 200: resetPassword },
      },
    },
    async (request) => auth.resetPassword(deps, request.params.id),
  );
}
