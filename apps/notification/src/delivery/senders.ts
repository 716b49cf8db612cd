import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { NotificationEnv } from '../config';
import { Delivery, Recipient } from '../entities';
import { classifyHttpStatus, SendResult } from './backoff';
import { SIGNATURE_HEADER, signatureHeader } from './signature';
import { allowedWebhookHosts, checkWebhookUrl } from './webhook-guard';

export const NOTIFICATION_CONFIG = Symbol('NOTIFICATION_CONFIG');

function short(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const text = e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
  return String(text).slice(0, 300);
}

/** The secret before the last rotation, while it is still honoured. */
export function activePreviousSecret(r: Pick<Recipient, 'previousWebhookSecret' | 'previousSecretUntil'>, now: Date = new Date()): string | undefined {
  return r.previousWebhookSecret && r.previousSecretUntil && r.previousSecretUntil > now ? r.previousWebhookSecret : undefined;
}

/** Signed POST of the stored body. */
@Injectable()
export class WebhookSender {
  private readonly allowedHosts: string[];

  constructor(@Inject(NOTIFICATION_CONFIG) private readonly config: NotificationEnv) {
    this.allowedHosts = allowedWebhookHosts({ WEBHOOK_ALLOWED_HOSTS: config.WEBHOOK_ALLOWED_HOSTS, NODE_ENV: process.env.NODE_ENV });
  }

  async send(delivery: Delivery, recipient: Recipient | null): Promise<SendResult> {
    if (!recipient?.webhookUrl || !recipient.webhookSecret) return { ok: false, error: 'no webhook endpoint or secret configured', retryable: false };
    // Again at send time: the host's DNS may have changed since it was registered.
    const guard = await checkWebhookUrl(recipient.webhookUrl, this.allowedHosts);
    if (!guard.ok) return { ok: false, error: `webhook blocked: ${guard.problem}`, retryable: false };
    const body = JSON.stringify(delivery.payload);
    try {
      const res = await fetch(recipient.webhookUrl, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Prestanda-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(recipient.webhookSecret, body, new Date(), activePreviousSecret(recipient)),
          'Idempotency-Key': delivery.id,
          'Prestanda-Delivery-Id': delivery.id,
          'Prestanda-Event-Type': delivery.sourceEventType,
        },
        body,
      });
      await res.arrayBuffer().catch(() => undefined);
      return classifyHttpStatus(res.status);
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, error: `timeout after ${this.config.WEBHOOK_TIMEOUT_MS} ms`, retryable: true };
      return { ok: false, error: short(error), retryable: true };
    }
  }
}

/** Plain-text e-mail through SMTP_URL. An SMTP 5xx reply is final; connection errors and 4xx are retried. */
@Injectable()
export class EmailSender implements OnApplicationShutdown {
  private transport?: Transporter;

  constructor(@Inject(NOTIFICATION_CONFIG) private readonly config: NotificationEnv) {}

  async send(delivery: Delivery, recipient: Recipient | null): Promise<SendResult> {
    if (!recipient?.email) return { ok: false, error: 'no e-mail address configured', retryable: false };
    if (!this.config.SMTP_URL) return { ok: false, error: 'SMTP not configured', retryable: true };
    this.transport ??= createTransport(this.config.SMTP_URL);
    const p = delivery.payload as { subject: string; text: string };
    try {
      await this.transport.sendMail({
        from: this.config.MAIL_FROM,
        to: recipient.email,
        subject: p.subject,
        text: p.text,
        messageId: `<${delivery.id}@notification.prestanda>`,
        headers: { 'X-Prestanda-Delivery-Id': delivery.id, 'X-Prestanda-Event-Type': delivery.sourceEventType },
      });
      return { ok: true, retryable: false };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (code && code >= 500 && code < 600) return { ok: false, statusCode: undefined, error: `SMTP ${code}: ${short(error)}`, retryable: false };
      return { ok: false, error: code ? `SMTP ${code}: ${short(error)}` : short(error), retryable: true };
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
