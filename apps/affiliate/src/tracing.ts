// Loaded first by main.ts: OpenTelemetry must patch modules before NestJS is imported.
import { startTracing } from '@prestanda/observability';

startTracing('affiliate');
