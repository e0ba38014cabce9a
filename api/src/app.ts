import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { createYoga, maskError } from 'graphql-yoga';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import * as model from '@fabpool/chaincode/model';
import type pg from 'pg';
import type { Ledger } from '@fabpool/network';
import { authenticateClient, requireActiveClient } from './auth/clients.js';
import {
  AuthError,
  issueAccessToken,
  verifyAccessToken,
  type TokenSettings,
  type Viewer,
} from './auth/tokens.js';
import type { ChangeFeed } from './readModel/changes.js';
import type { Projector } from './readModel/projector.js';
import { queryLimitsRule, RateLimiter } from './graphql/limits.js';
import type { ApiContext } from './graphql/context.js';
import { createLoaders } from './graphql/loaders.js';
import { ReadCache } from './readModel/readCache.js';
import { readModelHealth } from './readModel/health.js';
import type { MatchService } from './matching/service.js';
import type { AlertService } from './alerts/service.js';
import type { ForecastSettings } from './supply/forecast.js';
import { buildSchema } from './graphql/schema.js';

const MAX_BODY_BYTES = 256 * 1024;
/** web/dist beside this package (api/dist/app.js → web/dist). */
const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

export interface AppDependencies {
  ledger: Ledger;
  /** Where the projector announces what it projected; subscriptions listen to it. */
  changes: ChangeFeed;
  pool: pg.Pool;
  projector: Projector;
  matcher: MatchService;
  alerts: AlertService;
  forecast: ForecastSettings;
  tokens: TokenSettings;
  verifyLedger?: ApiContext['verifyLedger'];
  /** GraphiQL in development only. */
  graphiql?: boolean;
  /** The built web app to serve; web/dist by default. */
  webDir?: string;
  /** Requests a client may make per minute. */
  requestsPerMinute?: number;
  /** Blocks the read model may trail the ledger by while healthy (see `readModelHealth`). */
  maxLagBlocks?: number;
}

/** The JSON Schemas of the records and requests members exchange, served under /schemas. */
export function publishedSchemas(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(model)) {
    if (name.endsWith('Schema') && typeof value === 'object' && ('properties' in value || 'type' in value))
      schemas[name.replace(/Schema$/, '')] = value;
  }
  return schemas;
}

/**
 * The api as an express app, apart from `listen`: GraphQL at /graphql (errors carry stable codes
 * in `extensions.code`; anything unexpected is masked), the JSON Schemas under /schemas, a health
 * check, and request bodies limited in size.
 */
export function buildApp(deps: AppDependencies, schema: GraphQLSchema = buildSchema()): Express {
  const readCache = new ReadCache(() => deps.projector.version);
  const yoga = createYoga<{ req: express.Request }>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: deps.graphiql ?? false,
    landingPage: false,
    plugins: [
      {
        onValidate: ({
          addValidationRule,
        }: {
          addValidationRule: (rule: typeof queryLimitsRule) => void;
        }) => {
          addValidationRule(queryLimitsRule);
        },
      },
    ],
    // Refusals are answers (with codes), not server faults: only unexpected errors are logged, once, here.
    logging: false,
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const original = (error as GraphQLError).originalError;
        if (original instanceof GraphQLError && typeof original.extensions.code === 'string') return original;
        if (
          error instanceof GraphQLError &&
          typeof error.extensions.code === 'string' &&
          error.originalError === undefined
        )
          return error;
        if (error instanceof GraphQLError && error.originalError === undefined) return error;
        console.error('[api] unexpected error:', original ?? error);
        return maskError(error, message, isDev);
      },
    },
    context: async ({ request }): Promise<ApiContext> => {
      let viewer: Viewer | undefined;
      const header = request.headers.get('authorization');
      if (header !== null) {
        const match = /^Bearer (.+)$/.exec(header);
        if (match?.[1] === undefined)
          throw new GraphQLError('use Authorization: Bearer <token>', {
            extensions: { code: 'AUTH.INVALID_TOKEN', http: { status: 401 } },
          });
        try {
          viewer = verifyAccessToken(deps.tokens, match[1]);
          await requireActiveClient(deps.pool, viewer);
        } catch (error) {
          if (error instanceof AuthError)
            throw new GraphQLError(error.message, {
              extensions: { code: error.code, http: { status: 401 } },
            });
          throw error;
        }
      }
      return {
        viewer,
        changes: deps.changes,
        ledger: deps.ledger,
        pool: deps.pool,
        projector: deps.projector,
        matcher: deps.matcher,
        alerts: deps.alerts,
        forecast: deps.forecast,
        readCache,
        loaders: createLoaders(deps.pool, readCache),
        tokens: deps.tokens,
        ...(deps.verifyLedger === undefined ? {} : { verifyLedger: deps.verifyLedger }),
      };
    },
  });
  const app = express();
  app.disable('x-powered-by');
  // Per-client rate limit (the bearer token's holder, else the address), then the size limit.
  const limiter = new RateLimiter(deps.requestsPerMinute ?? 600);
  app.use((req, res, next) => {
    const client = req.headers.authorization ?? req.socket.remoteAddress ?? 'unknown';
    if (limiter.take(client)) next();
    else
      res.status(429).json({
        errors: [
          { message: 'too many requests: wait a minute', extensions: { code: 'REQUEST.RATE_LIMITED' } },
        ],
      });
  });
  // Request size limit: a declared body above it is refused before anything reads it.
  app.use((req, res, next) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES)
      res
        .status(413)
        .json({ errors: [{ message: 'request too large', extensions: { code: 'REQUEST.TOO_LARGE' } }] });
    else next();
  });
  app.get('/health', (_req, res, next) => {
    readModelHealth(deps.ledger, deps.pool, deps.projector, deps.maxLagBlocks).then((health) => {
      res.status(health.ok ? 200 : 503).json(health);
    }, next);
  });
  const schemas = publishedSchemas();
  app.get('/schemas', (_req, res) => {
    res.json(Object.keys(schemas).sort());
  });
  app.get('/schemas/:name', (req, res) => {
    const schemaOf = schemas[req.params.name];
    if (schemaOf === undefined)
      res.status(404).json({ error: { code: 'SCHEMA.NOT_FOUND', message: `no schema ${req.params.name}` } });
    else res.json(schemaOf);
  });
  // OAuth 2.0 client credentials (RFC 6749 §4.4) for partner systems: HTTP Basic or form fields.
  app.post('/oauth/token', express.urlencoded({ extended: false, limit: '8kb' }), (req, res) => {
    res.set('Cache-Control', 'no-store');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [basicId, basicSecret] =
      basic?.[1] === undefined
        ? [undefined, undefined]
        : Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
    const clientId = basicId ?? body.client_id;
    const clientSecret = basicSecret ?? body.client_secret;
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: 'only client_credentials' });
      return;
    }
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') {
      res
        .status(400)
        .json({ error: 'invalid_request', error_description: 'client_id and client_secret are needed' });
      return;
    }
    authenticateClient(deps.pool, clientId, clientSecret).then(
      (viewer) => {
        res.json({
          access_token: issueAccessToken(deps.tokens, viewer),
          token_type: 'Bearer',
          expires_in: deps.tokens.accessSeconds,
        });
      },
      (error: unknown) => {
        if (error instanceof AuthError) {
          if (basic !== null) res.set('WWW-Authenticate', 'Basic realm="fabpool"');
          res.status(401).json({ error: 'invalid_client', error_description: error.message });
        } else res.status(500).json({ error: 'server_error' });
      },
    );
  });
  app.use('/graphql', yoga as unknown as express.RequestHandler);
  // The web app (web/dist), when built: static files, and its index for every other GET.
  const webDir = deps.webDir ?? WEB_DIST;
  if (existsSync(join(webDir, 'index.html'))) {
    app.use(express.static(webDir, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!graphql|schemas|health|oauth).*/, (_req, res) => {
      res.sendFile(join(webDir, 'index.html'));
    });
  }
  return app;
}
