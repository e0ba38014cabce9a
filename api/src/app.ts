import { companyName, partyNames } from './graphql/partyNames.js';
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { createYoga, maskError } from 'graphql-yoga';
import compression from 'compression';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type GraphQLSchema } from 'graphql';
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
import { queryLimitsRule, withoutSuggestions } from './graphql/limits.js';
import { LoginThrottle } from './auth/loginThrottle.js';
import type { ApiContext } from './graphql/context.js';
import { createLoaders } from './graphql/loaders.js';
import { ReadCache } from './readModel/readCache.js';
import { readModelHealth } from './readModel/health.js';
import type { MatchService } from './matching/service.js';
import type { AlertService } from './alerts/service.js';
import type { NotificationService } from './notifications/service.js';
import type { ForecastSettings } from './supply/forecast.js';
import type { Presence } from './auth/presence.js';
import { buildSchema } from './graphql/schema.js';

const MAX_BODY_BYTES = 256 * 1024;
/** What the api answers itself; every other GET is the web app's. */
const API_PATHS = ['/graphql', '/schemas', '/health', '/oauth', '/node', '/demo'];

/** What a demo tells its login page: its cast, and who plays each (absent: not a demo). */
export interface DemoHooks {
  cast?: () => Promise<unknown>;
}

/** web/dist beside this package (api/dist/app.js → web/dist). */
const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

export interface AppDependencies {
  ledger: Ledger;
  /** Who is at work now: each authenticated request notes its member. */
  presence?: Presence;
  demo?: DemoHooks;
  /** Where the projector announces what it projected; subscriptions listen to it. */
  changes: ChangeFeed;
  pool: pg.Pool;
  projector: Projector;
  matcher: MatchService;
  alerts: AlertService;
  notifications: NotificationService;
  forecast: ForecastSettings;
  tokens: TokenSettings;
  verifyLedger?: ApiContext['verifyLedger'];
  /** On an organisation's Fabric node: adding people with its own CA (absent on the embedded demo). */
  enrolment?: ApiContext['enrolment'];
  /**
   * Development mode: GraphiQL, schema introspection and "did you mean" suggestions. Off, a
   * client learns nothing of the schema it was not given.
   */
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
  const development = deps.graphiql ?? false;
  const loginThrottle = new LoginThrottle(deps.pool);
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
          if (!development) addValidationRule(NoSchemaIntrospectionCustomRule);
          return development ? undefined : withoutSuggestions;
        },
      },
    ],
    // Refusals are answers (with codes), not server faults: only unexpected errors are logged, once, here.
    logging: false,
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const original = (error as GraphQLError).originalError;
        if (original instanceof GraphQLError && typeof original.extensions.code === 'string') return original;
        if (error instanceof GraphQLError && error.originalError === undefined) return error;
        // A variable that does not fit its input type (a field missing, a word where a number goes):
        // graphql-js wraps its own uncoded error. The client can fix it.
        if (error instanceof GraphQLError && original instanceof GraphQLError)
          return new GraphQLError(error.message, {
            extensions: { code: 'REQUEST.INVALID_ARGUMENT' },
            ...(error.nodes === undefined ? {} : { nodes: error.nodes }),
          });
        console.error('[api] unexpected error:', original ?? error);
        return maskError(error, message, isDev);
      },
    },
    context: async ({ request, req }): Promise<ApiContext> => {
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
          deps.presence?.saw(viewer.memberName);
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
        notifications: deps.notifications,
        forecast: deps.forecast,
        readCache,
        loaders: createLoaders(deps.pool, readCache),
        tokens: deps.tokens,
        clientAddress: req.socket.remoteAddress ?? 'unknown',
        loginThrottle,
        ...(deps.verifyLedger === undefined ? {} : { verifyLedger: deps.verifyLedger }),
        ...(deps.enrolment === undefined ? {} : { enrolment: deps.enrolment }),
      };
    },
  });
  const app = express();
  app.disable('x-powered-by');
  // Security headers; the dashboard's own scripts and styles only (GraphiQL loads its own from a CDN
  // in development, so the policy is left to the page there).
  app.use(
    helmet({
      contentSecurityPolicy: development
        ? false
        : {
            directives: {
              'style-src': ["'self'", "'unsafe-inline'"],
              'img-src': ["'self'", 'data:', 'blob:'],
              // The shop-floor app's QR decoder runs in a worker made from its own bundled code.
              'worker-src': ["'self'", 'blob:'],
            },
          },
    }),
  );
  // Per-client rate limit on what the api computes: the verified token's holder, else the address.
  // A junk or forged header is just its address, so it neither earns a new allowance nor grows the
  // limiter's memory. The web app's static files are not counted: a phone installing the app
  // fetches all of them at once, and a workshop's phones share one address.
  app.use(
    API_PATHS,
    rateLimit({
      windowMs: 60_000,
      limit: deps.requestsPerMinute ?? 600,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => clientKeyOf(deps.tokens, req),
      handler: (_req, res) => {
        res.status(429).json({
          errors: [
            { message: 'too many requests: wait a minute', extensions: { code: 'REQUEST.RATE_LIMITED' } },
          ],
        });
      },
    }),
  );
  // GraphQL bodies are read here, counted as the bytes arrive (a chunked body has no length to
  // trust), and refused past the limit; yoga takes the bytes as read.
  app.post('/graphql', express.raw({ type: () => true, limit: MAX_BODY_BYTES }));
  app.get('/health', (_req, res, next) => {
    readModelHealth(deps.ledger, deps.pool, deps.projector, deps.maxLagBlocks).then((health) => {
      res.status(health.ok ? 200 : 503).json(health);
    }, next);
  });
  // Whose node this is (the organisations whose members it holds), for the login page: an
  // organisation's node serves its own members only. Public: it names the company, nothing more.
  app.get('/node', (_req, res, next) => {
    const organisations = [...new Set(deps.ledger.members().map((m) => m.mspId))].sort();
    partyNames(deps.pool).then((names) => {
      res.json({ organisations, names: organisations.map((mspId) => companyName(names, mspId)) });
    }, next);
  });
  // A demo's cast for its login page: which logins the simulator plays now, and which a person.
  // Public, like the demo logins `npm start` prints; 404 on a node that is not a demo.
  app.get('/demo', (_req, res, next) => {
    const cast = deps.demo?.cast;
    if (cast === undefined) {
      res.status(404).json({ error: { code: 'DEMO.NOT_A_DEMO', message: 'this node runs no demo' } });
      return;
    }
    cast()
      .then((entries) => res.json({ cast: entries }))
      .catch(next);
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
    const credentials = basic?.[1] === undefined ? null : basicCredentials(basic[1]);
    if (credentials === undefined) {
      res.status(400).json({ error: 'invalid_request', error_description: 'malformed Basic credentials' });
      return;
    }
    const clientId = credentials === null ? body.client_id : credentials[0];
    const clientSecret = credentials === null ? body.client_secret : credentials[1];
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
    const address = req.socket.remoteAddress ?? 'unknown';
    const throttled = `client:${clientId}`;
    loginThrottle
      .check(throttled, address)
      .then(async () => {
        try {
          return await authenticateClient(deps.pool, clientId, clientSecret);
        } catch (error) {
          if (error instanceof AuthError && error.code === 'AUTH.INVALID_CLIENT')
            await loginThrottle.failed(throttled, address);
          throw error;
        }
      })
      .then(
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
            const status =
              error.code === 'AUTH.TOO_MANY_ATTEMPTS' || error.code === 'AUTH.ACCOUNT_LOCKED' ? 429 : 401;
            res.status(status).json({ error: 'invalid_client', error_description: error.message });
          } else {
            console.error('[api] token endpoint:', error);
            res.status(500).json({ error: 'server_error' });
          }
        },
      );
  });
  // Answers are JSON, which shrinks to a fifth or less: the board's first query is most of its
  // bytes after the scripts. Streams are left alone: compression holds bytes back until it has a
  // window, and an event must reach the browser when it happens.
  app.use(
    '/graphql',
    compression({
      filter: (req, res) =>
        !String(res.getHeader('Content-Type') ?? req.headers.accept ?? '').includes('text/event-stream') &&
        compression.filter(req, res),
    }),
  );
  app.use('/graphql', yoga as unknown as express.RequestHandler);
  // The web app (web/dist), when built: static files, and its index for every other GET.
  const webDir = deps.webDir ?? WEB_DIST;
  if (existsSync(join(webDir, 'index.html'))) {
    app.use(precompressed(webDir));
    app.use(express.static(webDir, { index: 'index.html', setHeaders: webCaching(webDir) }));
    // Every other page path is the app's (its router reads the path); a missing asset is a 404.
    app.get(/^\/(?!graphql|schemas|health|oauth|node$|assets\/).*/, (req, res) => {
      res.setHeader('cache-control', 'no-cache');
      sendPrecompressed(req, res, join(webDir, 'index.html'));
    });
  }
  // Anything that fails outside GraphQL answers JSON with a code, never a stack trace or a path.
  app.use(jsonErrors);
  return app;
}

/** The encodings the build wrote beside each text file, the smaller first. */
const ENCODINGS = [
  { name: 'br', extension: '.br' },
  { name: 'gzip', extension: '.gz' },
] as const;

/** Sends `path` as the build's brotli or gzip copy when the browser takes one, else as it is. */
function sendPrecompressed(req: express.Request, res: express.Response, path: string): void {
  res.vary('Accept-Encoding');
  // Ours first (the smaller), whatever order the browser lists them in.
  const encoding = ENCODINGS.find(
    (e) => req.acceptsEncodings(e.name) === e.name && existsSync(`${path}${e.extension}`),
  );
  if (encoding === undefined) {
    res.sendFile(path);
    return;
  }
  // The type of the file it stands for; `send` keeps a Content-Type already set.
  res.type(extname(path));
  res.setHeader('content-encoding', encoding.name);
  res.sendFile(`${path}${encoding.extension}`);
}

/**
 * The web app's text files, sent as the brotli or gzip copy the build made beside them (see
 * web/vite.config.ts) to a browser that takes it, with the same caching as the files themselves.
 */
function precompressed(webDir: string): express.RequestHandler {
  const caching = webCaching(webDir);
  return (req, res, next) => {
    let path: string;
    try {
      path = join(webDir, decodeURIComponent(req.path));
    } catch {
      next();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    // Only files of the build, by their own path (the index is the catch-all's).
    if (
      !path.startsWith(`${webDir}/`) ||
      !/\.(js|css|svg|json|webmanifest|txt)$/.test(path) ||
      !existsSync(path)
    ) {
      next();
      return;
    }
    caching(res, path);
    sendPrecompressed(req, res, path);
  };
}

/**
 * Hashed assets never change under their name: a year, immutable. Everything else (the index,
 * the service worker, the manifest) is checked each time, so a new release reaches every device.
 */
function webCaching(webDir: string): (res: express.Response, path: string) => void {
  const assets = join(webDir, 'assets');
  return (res, path) => {
    res.setHeader(
      'cache-control',
      path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
  };
}

/** Express's errors (a body too large or unreadable, anything unexpected) as JSON without internals. */
const jsonErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  const [httpStatus, code, message] =
    type === 'entity.too.large'
      ? [413, 'REQUEST.TOO_LARGE', `request too large: at most ${MAX_BODY_BYTES} bytes`]
      : typeof status === 'number' && status >= 400 && status < 500
        ? [status, 'REQUEST.UNREADABLE', 'the request could not be read']
        : [500, 'INTERNAL', 'internal error'];
  if (httpStatus === 500) console.error('[api] unexpected error:', error);
  res.status(httpStatus).json({ errors: [{ message, extensions: { code } }] });
};

/** `id:secret` of an HTTP Basic header (RFC 6749 §2.3.1: each form-encoded); undefined when malformed. */
function basicCredentials(encoded: string): [string, string] | undefined {
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return [decodeURIComponent(text.slice(0, colon)), decodeURIComponent(text.slice(colon + 1))];
  } catch {
    return undefined;
  }
}

/** Who a request counts against for rate limiting: the verified token's subject, else the address. */
function clientKeyOf(tokens: TokenSettings, req: express.Request): string {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined)
    try {
      return `user:${verifyAccessToken(tokens, bearer).username}`;
    } catch {
      // An invalid token is refused later; it counts against its address.
    }
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}
