import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { recordHttpRoute } from '@prestanda/observability';
import type { Observable } from 'rxjs';

/**
 * Tells the HTTP instrumentation which route matched (Express' `req.route.path`), so server
 * spans are named by route. Registered only while tracing records spans.
 */
@Injectable()
export class HttpRouteInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const path = context.switchToHttp().getRequest<{ route?: { path?: unknown } }>().route?.path;
      if (typeof path === 'string') recordHttpRoute(path);
    }
    return next.handle();
  }
}
