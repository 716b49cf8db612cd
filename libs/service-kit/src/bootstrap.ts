import { BadRequestException, DynamicModule, INestApplication, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { productionAuthProblems } from '@prestanda/auth';
import { ConfigError } from '@prestanda/config';
import { createLogger, NestPinoLogger, tracingEnabled } from '@prestanda/observability';
import { productionSecretsProblems } from '@prestanda/persistence';
import { HttpRouteInterceptor } from './http-route.interceptor';

function fieldErrors(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix + e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(e.children ?? [], `${field}.`)];
  });
}

/**
 * The one 400 body of every service, naming every bad field:
 * `{ statusCode, error, message: ["<field>: <message>"], fields: [{ field, message }] }`.
 * Use it for checks the DTO decorators cannot express.
 */
export function fieldErrorResponse(fields: { field: string; message: string }[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: fields.map((f) => `${f.field}: ${f.message}`), fields });
}

/** One bad field; see `fieldErrorResponse`. */
export function fieldError(field: string, message: string): BadRequestException {
  return fieldErrorResponse([{ field, message }]);
}

/** 400 bodies name every bad field (`fieldErrorResponse`). */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => fieldErrorResponse(fieldErrors(errors)),
  });
}

export interface BootstrapOptions {
  service: string;
  title: string;
  httpPort: number;
  /** Keep each request's raw body as `req.rawBody` (a Buffer), e.g. to check an HMAC signature of it. */
  rawBody?: boolean;
  /** The service stores secrets (sealed with SECRETS_KEY): in production it refuses to start without the key. */
  storesSecrets?: boolean;
  /** Trust `X-Forwarded-For` from this many proxy hops (Express `trust proxy`), e.g. behind an ingress. */
  trustProxy?: number;
}

/** Creates the HTTP app the same way for every service (validation, OpenAPI at /docs, shutdown hooks). */
export async function createServiceApp(module: Type<unknown> | DynamicModule, options: BootstrapOptions): Promise<INestApplication> {
  // Nest's own lines (bootstrap, the exceptions handler) as JSON through the service's pino logger.
  const logger = new NestPinoLogger(createLogger(options.service));
  const app = await NestFactory.create<NestExpressApplication>(module, { logger, rawBody: options.rawBody ?? false });
  if (options.trustProxy) app.set('trust proxy', options.trustProxy);
  // Security headers (nosniff, HSTS, frame denial, no X-Powered-By…). No CSP: these are JSON APIs
  // (the Swagger page at /docs needs inline script); cross-origin resource policy open, so a
  // shop's page may load the affiliate pixel.
  app.use(helmet({ contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' }, crossOriginEmbedderPolicy: false }));
  // Batches of up to 500 events must fit (Express's default is 100 kB).
  app.useBodyParser('json', { limit: process.env.HTTP_BODY_LIMIT ?? '2mb' });
  app.useGlobalPipes(validationPipe());
  // Server spans named by route (`POST /v1/leads`); nothing to do per request with tracing off.
  if (tracingEnabled()) app.useGlobalInterceptors(new HttpRouteInterceptor());
  // Exit 0 after a clean drain on SIGTERM (Nest would otherwise re-raise the signal).
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  const doc = new DocumentBuilder().setTitle(options.title).setVersion('1').addBearerAuth().build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc));
  return app;
}

export async function bootstrapService(module: Type<unknown> | DynamicModule, options: BootstrapOptions): Promise<INestApplication> {
  const log = createLogger(options.service);
  // In production a service refuses to start with auth that would accept the wrong tokens.
  const problems = [...productionAuthProblems(process.env), ...(options.storesSecrets ? productionSecretsProblems(process.env) : [])];
  if (problems.length) throw new ConfigError(problems);
  const app = await createServiceApp(module, options);
  await app.listen(options.httpPort, '0.0.0.0');
  log.info({ port: options.httpPort }, `${options.service} listening; OpenAPI at /docs`);
  return app;
}
