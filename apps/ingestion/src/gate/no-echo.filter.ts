import { ArgumentsHost, BadRequestException, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { redactPans } from '@prestanda/contracts';

// V8's JSON.parse messages quote the input ("Unexpected token 'x', "[x,"4111 11"... is not valid JSON"),
// and Nest turns body-parser's SyntaxError into a 400 carrying that message.
const JSON_PARSE_MESSAGE = /is not valid JSON|in JSON at position|Unexpected (token|end of JSON)|Bad control character|Expected .* after/;

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): unknown;
}

/**
 * No HTTP answer of the gate echoes what was sent: a body that is not JSON gets a fixed
 * message (the parser's would quote the body, card numbers included), and any other error
 * body has card numbers redacted as a last line of defence. Everything else is Nest's default.
 */
@Catch()
export class NoEchoExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || !(exception instanceof HttpException)) return super.catch(exception, host);
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (exception instanceof BadRequestException && JSON_PARSE_MESSAGE.test(exception.message)) {
      response.status(400).json({ statusCode: 400, error: 'Bad Request', code: 'malformed-json', message: 'the request body is not valid JSON' });
      return;
    }
    const body = exception.getResponse();
    response.status(exception.getStatus()).json(redactPans(typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body));
  }
}
