/**
 * Size limits, in one place. Topic creation, the consumers' fetch sizes, the producers'
 * request sizes and the dead-letter writer all read these numbers, so that whatever the
 * broker accepted on an inbound topic can always be recorded on its dead-letter topic.
 * Operators who run their own cluster: see docs/operations.md ("Message size limits").
 */

/**
 * `max.message.bytes` of every inbound and dead-letter topic Prestanda creates (1 MiB, the
 * broker's own default). A producer may still get a larger message accepted when it
 * compresses: the limit applies to the compressed batch, which is why nothing downstream may
 * assume an inbound value is smaller than this.
 */
export const TOPIC_MAX_MESSAGE_BYTES = 1_048_576;

/** What a consumer fetches from one partition per request (the broker still hands over one larger message whole). */
export const CONSUMER_MAX_BYTES_PER_PARTITION = TOPIC_MAX_MESSAGE_BYTES;

/** What a consumer fetches per request across its partitions. */
export const CONSUMER_MAX_BYTES = 8 * TOPIC_MAX_MESSAGE_BYTES;

/**
 * What one produce request of ours carries at most (values, keys and headers added up). Half a
 * topic's limit leaves room for the record-batch overhead; larger sends are split.
 */
export const PRODUCER_MAX_REQUEST_BYTES = TOPIC_MAX_MESSAGE_BYTES / 2;

/**
 * An inbound event larger than this (uncompressed UTF-8) is refused before it is parsed
 * (`message-too-large`). A card transaction is about 1 KiB.
 */
export const INBOUND_EVENT_MAX_BYTES = 65_536;

/**
 * A dead letter keeps at most this many bytes of the original value. Beyond it the value is
 * truncated, and the headers say so (`x-truncated`), with the full size (`x-original-size`),
 * a SHA-256 of the full value (`x-original-sha256`) and where the original still lies
 * (`x-original-topic`, `x-original-partition`, `x-original-offset`).
 */
export const DEAD_LETTER_VALUE_MAX_BYTES = 65_536;

/** A dead letter keeps at most this many of the original headers, each value cut to HEADER_VALUE_MAX_BYTES. */
export const DEAD_LETTER_MAX_ORIGINAL_HEADERS = 32;
export const HEADER_VALUE_MAX_BYTES = 1_024;

/** Dead-letter reasons are cut to this many characters (they name fields, never quote values). */
export const DEAD_LETTER_REASON_MAX_CHARS = 500;

/**
 * How deep an event may nest (objects and arrays). Every inbound schema nests at most four
 * levels below the envelope; the schemas refuse anything deeper at the first level that does
 * not fit. This bound is for values no schema has checked yet.
 */
export const EVENT_MAX_DEPTH = 32;
