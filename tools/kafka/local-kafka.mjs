#!/usr/bin/env node
// Local single-node Apache Kafka (KRaft, broker+controller) for dev and CI.
//
// No npm dependencies on purpose: this must work before `npm install`.
// Needs Java 17+ and Maven 3.8+ (Maven only for the first, cached, fetch).
//
//   node tools/kafka/local-kafka.mjs start|stop|status|restart|reset|classpath|fetch|logs|exec <MainClass> [args...]
//
// Library use:
//   import { ensureKafka, stopKafka, kafkaStatus } from '../kafka/local-kafka.mjs';
//   const brokers = await ensureKafka({ port: 9092 }); // '127.0.0.1:9092' (or $KAFKA_BROKERS)

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const KAFKA_VERSION = '4.1.1';
export const DEFAULT_PORT = 9092;
export const DEFAULT_CONTROLLER_PORT = 9093;
const HOST = '127.0.0.1';
const NODE_ID = 1;
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

const TOOL_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(TOOL_DIR, '..', '..');
const POM = join(TOOL_DIR, 'pom.xml');

const INSTALL_HINT =
  'Install Java 17+ and Maven 3.8+, e.g. on Debian/Ubuntu:\n' +
  '  apt-get update && apt-get install -y openjdk-17-jre-headless maven\n' +
  '(or point JAVA_HOME at a JDK/JRE 17+). Alternatively set KAFKA_BROKERS=host:port to use an existing cluster.';

export class KafkaToolError extends Error {
  constructor(message) {
    super(message);
    this.name = 'KafkaToolError';
  }
}

// ---------------------------------------------------------------------------
// Paths and configuration
// ---------------------------------------------------------------------------

/** Resolved locations of everything the tool keeps outside git. */
export function kafkaPaths() {
  const prestandaHome = resolve(process.env.PRESTANDA_HOME || join(REPO_ROOT, '.local'));
  const home = resolve(process.env.PRESTANDA_KAFKA_HOME || join(prestandaHome, 'kafka'));
  return {
    home,
    libs: join(home, 'libs'),
    stamp: join(home, 'libs.stamp'),
    data: join(home, 'data'),
    config: join(home, 'server.properties'),
    clusterIdFile: join(home, 'cluster-id'),
    pidFile: join(home, 'kafka.pid'),
    logFile: join(home, 'kafka.log'),
    lockFile: join(home, '.lock'),
  };
}

function envPort(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new KafkaToolError(`${name}=${raw} is not a valid TCP port`);
  return n;
}

function resolvePorts(opts = {}) {
  const port = opts.port ?? envPort('KAFKA_PORT', DEFAULT_PORT);
  const controllerPort = opts.controllerPort ?? envPort('KAFKA_CONTROLLER_PORT', DEFAULT_CONTROLLER_PORT);
  if (port === controllerPort) throw new KafkaToolError(`broker port and controller port are both ${port}`);
  return { port, controllerPort };
}

function externalBrokers() {
  const b = (process.env.KAFKA_BROKERS || '').trim();
  return b === '' ? null : b;
}

const defaultLog = (msg) => process.stderr.write(`[local-kafka] ${msg}\n`);

// ---------------------------------------------------------------------------
// Prerequisites
// ---------------------------------------------------------------------------

function javaBin() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Throws KafkaToolError unless `java -version` reports 17+. Returns the major version. */
export function checkJava() {
  const r = spawnSync(javaBin(), ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new KafkaToolError(`Java not found (tried \`${javaBin()} -version\`).\n${INSTALL_HINT}`);
  }
  const out = `${r.stderr}${r.stdout}`;
  const m = out.match(/version "(\d+)(?:\.(\d+))?/);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!(major >= 17)) {
    throw new KafkaToolError(`Kafka ${KAFKA_VERSION} needs Java 17+, found: ${out.split('\n')[0]}\n${INSTALL_HINT}`);
  }
  return major;
}

/** Throws KafkaToolError unless `mvn -v` works. */
export function checkMaven() {
  const r = spawnSync('mvn', ['-v', '-B'], { encoding: 'utf8', env: { ...process.env, MAVEN_OPTS: process.env.MAVEN_OPTS ?? '' } });
  if (r.error || r.status !== 0) {
    throw new KafkaToolError(`Maven not found (tried \`mvn -v\`); it is needed once to fetch Kafka ${KAFKA_VERSION} jars.\n${INSTALL_HINT}`);
  }
  const m = `${r.stdout}${r.stderr}`.match(/Apache Maven (\d+)\.(\d+)/);
  if (m && (Number(m[1]) < 3 || (Number(m[1]) === 3 && Number(m[2]) < 6))) {
    throw new KafkaToolError(`Maven ${m[1]}.${m[2]} is too old; need 3.6+.\n${INSTALL_HINT}`);
  }
}

// ---------------------------------------------------------------------------
// Fetch (Maven) and classpath
// ---------------------------------------------------------------------------

function expectedStamp() {
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
  return `kafka=${KAFKA_VERSION}\npom-sha256=${pomHash}\n`;
}

function libsPresent(paths) {
  if (!existsSync(paths.stamp) || !existsSync(paths.libs)) return false;
  if (readFileSync(paths.stamp, 'utf8') !== expectedStamp()) return false;
  const jars = readdirSync(paths.libs);
  return jars.includes(`kafka_2.13-${KAFKA_VERSION}.jar`) && jars.includes(`kafka-tools-${KAFKA_VERSION}.jar`);
}

/** Resolve the pinned jars into the cache (idempotent: skipped when the stamp matches). */
export function fetchKafka({ log = defaultLog, force = false } = {}) {
  const paths = kafkaPaths();
  if (!force && libsPresent(paths)) return paths.libs;
  checkMaven();
  mkdirSync(paths.home, { recursive: true });
  const tmp = `${paths.libs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  log(`fetching Kafka ${KAFKA_VERSION} jars with Maven into ${paths.libs} (one-time) ...`);
  const args = [
    '-B', '-q', '-Dstyle.color=never',
    '-f', POM,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${tmp}`,
    '-DincludeScope=runtime',
  ];
  const r = spawnSync('mvn', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
    throw new KafkaToolError(`Maven failed to fetch Kafka ${KAFKA_VERSION} (mvn ${args.join(' ')}):\n${out || r.error}`);
  }
  // Swap in atomically-ish so a half-copied dir is never used, and old versions never linger.
  rmSync(paths.libs, { recursive: true, force: true });
  renameSync(tmp, paths.libs);
  writeFileSync(paths.stamp, expectedStamp());
  log(`fetched ${readdirSync(paths.libs).length} jars`);
  return paths.libs;
}

/** Classpath (explicit jar list) for the broker and kafka-tools classes; fetches if needed. */
export function kafkaClasspath(opts = {}) {
  const libs = fetchKafka(opts);
  return readdirSync(libs)
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => join(libs, f))
    .join(delimiter);
}

const JVM_LOG_OPTS = [
  '-Dorg.slf4j.simpleLogger.showDateTime=true',
  "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
  '-Dorg.slf4j.simpleLogger.defaultLogLevel=info',
  // log4j-core is on the classpath (Kafka's Log4jController uses it) but logging goes through slf4j-simple.
  '-Dlog4j2.statusLoggerLevel=OFF',
];

function runJava(classpath, mainClass, args, { jvmOpts = ['-Xmx256m'] } = {}) {
  return spawnSync(javaBin(), [...jvmOpts, ...JVM_LOG_OPTS, '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', classpath, mainClass, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

// ---------------------------------------------------------------------------
// Kafka wire protocol probe (raw socket, builtins only)
// ---------------------------------------------------------------------------

const API_METADATA = 3;
const API_VERSIONS = 18;
const CLIENT_ID = Buffer.from('prestanda-local-kafka');

/** Send one non-flexible (header v1) request and return the response body after the correlation id. */
function kafkaRequest(host, port, apiKey, apiVersion, body, timeoutMs = 2000) {
  return new Promise((resolvePromise, reject) => {
    const correlationId = randomBytes(4).readInt32BE(0) & 0x7fffffff;
    const header = Buffer.alloc(10);
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(apiVersion, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(CLIENT_ID.length, 8);
    const payload = Buffer.concat([header, CLIENT_ID, body]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length, 0);

    let buf = Buffer.alloc(0);
    let done = false;
    const sock = net.createConnection({ host, port });
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolvePromise(value);
    };
    const timer = setTimeout(() => finish(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    sock.on('connect', () => sock.write(Buffer.concat([size, payload])));
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4) return;
      const len = buf.readInt32BE(0);
      if (len < 4 || len > 64 * 1024 * 1024) return finish(new Error(`bad response size ${len}`));
      if (buf.length < 4 + len) return;
      const resp = buf.subarray(4, 4 + len);
      if (resp.readInt32BE(0) !== correlationId) return finish(new Error('correlation id mismatch (not Kafka?)'));
      finish(null, resp.subarray(4));
    });
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error('connection closed before a full response')));
  });
}

/** ApiVersions v0: returns Map(apiKey -> {min, max}); throws if the peer does not speak Kafka. */
export async function apiVersions(host, port, timeoutMs) {
  const r = await kafkaRequest(host, port, API_VERSIONS, 0, Buffer.alloc(0), timeoutMs);
  const errorCode = r.readInt16BE(0);
  // 35 = UNSUPPORTED_VERSION: still a Kafka broker, and it still lists its versions.
  if (errorCode !== 0 && errorCode !== 35) throw new Error(`ApiVersions error code ${errorCode}`);
  const n = r.readInt32BE(2);
  if (n < 0 || n > 1000 || 6 + n * 6 > r.length) throw new Error('malformed ApiVersions response');
  const versions = new Map();
  for (let i = 0, off = 6; i < n; i++, off += 6) {
    versions.set(r.readInt16BE(off), { min: r.readInt16BE(off + 2), max: r.readInt16BE(off + 4) });
  }
  if (!versions.has(API_VERSIONS)) throw new Error('ApiVersions response lacks ApiVersions (not Kafka?)');
  return versions;
}

function readString(r, off) {
  const len = r.readInt16BE(off);
  if (len < 0) return [null, off + 2];
  return [r.toString('utf8', off + 2, off + 2 + len), off + 2 + len];
}

/** Metadata (non-flexible v1..v8, no topics): returns { brokers: [{nodeId, host, port}], clusterId, controllerId }. */
export async function metadata(host, port, versions, timeoutMs) {
  const range = versions.get(API_METADATA);
  if (!range) throw new Error('broker does not support Metadata');
  const v = Math.max(range.min, 4);
  if (v > Math.min(range.max, 8)) throw new Error(`no non-flexible Metadata version in ${range.min}..${range.max}`);
  const body = Buffer.alloc(5);
  body.writeInt32BE(0, 0); // topics: empty array (null would mean "all topics")
  body.writeInt8(0, 4); // allow_auto_topic_creation = false
  const r = await kafkaRequest(host, port, API_METADATA, v, body, timeoutMs);
  let off = v >= 3 ? 4 : 0; // throttle_time_ms
  const n = r.readInt32BE(off);
  off += 4;
  const brokers = [];
  for (let i = 0; i < n; i++) {
    const nodeId = r.readInt32BE(off);
    let bhost;
    [bhost, off] = readString(r, off + 4);
    const bport = r.readInt32BE(off);
    off += 4;
    if (v >= 1) [, off] = readString(r, off); // rack
    brokers.push({ nodeId, host: bhost, port: bport });
  }
  let clusterId = null;
  if (v >= 2) [clusterId, off] = readString(r, off);
  const controllerId = r.readInt32BE(off);
  return { brokers, clusterId, controllerId };
}

/**
 * Probe host:port. Returns { listening, kafka, ready, brokers, clusterId, error }.
 * `ready` = ApiVersions answered and Metadata lists at least one broker (node `expectNodeId` if given).
 */
export async function probeKafka(host, port, { timeoutMs = 2000, expectNodeId } = {}) {
  const res = { listening: false, kafka: false, ready: false, brokers: [], clusterId: null, error: null };
  let versions;
  try {
    versions = await apiVersions(host, port, timeoutMs);
    res.listening = true;
    res.kafka = true;
  } catch (e) {
    res.error = e.message;
    res.listening = !/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL/.test(e.message) && e.code !== 'ECONNREFUSED';
    return res;
  }
  try {
    const md = await metadata(host, port, versions, timeoutMs);
    res.brokers = md.brokers;
    res.clusterId = md.clusterId;
    res.ready = expectNodeId === undefined ? md.brokers.length > 0 : md.brokers.some((b) => b.nodeId === expectNodeId);
  } catch (e) {
    res.error = e.message;
  }
  return res;
}

function tcpOpen(host, port, timeoutMs = 1000) {
  return new Promise((res) => {
    const s = net.createConnection({ host, port });
    const t = setTimeout(() => (s.destroy(), res(false)), timeoutMs);
    s.on('connect', () => (clearTimeout(t), s.destroy(), res(true)));
    s.on('error', () => (clearTimeout(t), res(false)));
  });
}

// ---------------------------------------------------------------------------
// Process bookkeeping
// ---------------------------------------------------------------------------

function readPid(paths) {
  try {
    const pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (e.code !== 'EPERM') return false;
  }
  try {
    // Zombies answer kill(0) but are dead.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
  } catch {
    /* no /proc (macOS): trust kill(0) */
  }
  return true;
}

/** True if pid is alive and (where /proc exists) is a kafka.Kafka JVM: protects against pid reuse. */
function isOurBroker(pid) {
  if (!pid || !isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('kafka.Kafka');
  } catch {
    return true;
  }
}

function readConfiguredPorts(paths) {
  try {
    const props = readFileSync(paths.config, 'utf8');
    const m = props.match(/^listeners=.*PLAINTEXT:\/\/[^:]+:(\d+).*CONTROLLER:\/\/[^:]+:(\d+)/m);
    if (m) return { port: Number(m[1]), controllerPort: Number(m[2]) };
  } catch {
    /* not configured yet */
  }
  return null;
}

async function withLock(paths, timeoutMs, fn) {
  mkdirSync(paths.home, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(paths.lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(paths.lockFile, 'utf8').trim());
      } catch {
        /* raced with release */
      }
      if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
        // Stale lock (holder died) or being written right now; only remove if old enough.
        try {
          if (Date.now() - statSync(paths.lockFile).mtimeMs > 2000 || (Number.isInteger(holder) && holder > 0)) rmSync(paths.lockFile, { force: true });
        } catch {
          /* gone already */
        }
        await sleep(50);
        continue;
      }
      if (Date.now() > deadline) throw new KafkaToolError(`timed out waiting for lock ${paths.lockFile} held by pid ${holder}`);
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(paths.lockFile, { force: true });
  }
}

function logTail(paths, lines = 60) {
  try {
    return readFileSync(paths.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log file)';
  }
}

// ---------------------------------------------------------------------------
// Config, storage format, start
// ---------------------------------------------------------------------------

function serverProperties({ port, controllerPort, dataDir }) {
  return `# Generated by tools/kafka/local-kafka.mjs on every start; edits are overwritten.
# Single-node KRaft: this process is both broker and controller.
process.roles=broker,controller
node.id=${NODE_ID}
controller.quorum.voters=${NODE_ID}@${HOST}:${controllerPort}
listeners=PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}
advertised.listeners=PLAINTEXT://${HOST}:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT

log.dirs=${dataDir}

num.network.threads=2
num.io.threads=4
num.partitions=4
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
delete.topic.enable=true

offsets.topic.replication.factor=1
# 50 partitions by default: creating them on the first group join of a fresh 2-core broker takes
# long enough for clients to give up on the coordinator. 4 is plenty for one node.
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0

# Dev retention: 24 h or 1 GiB per partition, 64 MiB segments.
log.retention.hours=24
log.retention.bytes=1073741824
log.segment.bytes=67108864
log.retention.check.interval.ms=60000
`;
}

function readMetaClusterId(paths) {
  try {
    const m = readFileSync(join(paths.data, 'meta.properties'), 'utf8').match(/^cluster\.id=(.+)$/m);
    return m ? m[1].trim() : null;
  } catch {
    return null;
  }
}

function clusterId(paths, classpath) {
  // Formatted data wins over the file, so losing the file never orphans the data.
  const fromData = readMetaClusterId(paths);
  if (fromData) {
    writeFileSync(paths.clusterIdFile, `${fromData}\n`);
    return fromData;
  }
  if (existsSync(paths.clusterIdFile)) {
    const id = readFileSync(paths.clusterIdFile, 'utf8').trim();
    if (id) return id;
  }
  const r = runJava(classpath, 'kafka.tools.StorageTool', ['random-uuid']);
  const id = (r.stdout || '').trim().split('\n').pop()?.trim();
  if (r.status !== 0 || !/^[A-Za-z0-9_-]{22}$/.test(id || '')) {
    throw new KafkaToolError(`kafka.tools.StorageTool random-uuid failed:\n${r.stdout}${r.stderr}`);
  }
  writeFileSync(paths.clusterIdFile, `${id}\n`);
  return id;
}

function formatStorage(paths, classpath, id, log) {
  if (existsSync(join(paths.data, 'meta.properties')) && existsSync(join(paths.data, 'bootstrap.checkpoint'))) return;
  log(`formatting storage ${paths.data} (cluster id ${id})`);
  const r = runJava(classpath, 'kafka.tools.StorageTool', ['format', '-t', id, '-c', paths.config, '--ignore-formatted']);
  if (r.status !== 0) throw new KafkaToolError(`kafka.tools.StorageTool format failed:\n${r.stdout}${r.stderr}`);
}

async function waitReady(paths, port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child?.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  let last = null;
  while (Date.now() < deadline) {
    if (exited || (child && !isAlive(child.pid))) {
      throw new KafkaToolError(
        `Kafka exited during startup (${exited ? `code ${exited.code}, signal ${exited.signal}` : 'process gone'}). Last log lines from ${paths.logFile}:\n${logTail(paths)}`,
      );
    }
    last = await probeKafka(HOST, port, { timeoutMs: 1500, expectNodeId: NODE_ID });
    if (last.ready) return last;
    await sleep(500);
  }
  throw new KafkaToolError(
    `Kafka did not become ready on ${HOST}:${port} within ${timeoutMs / 1000}s (last probe: ${last?.error ?? 'broker 1 not in metadata'}). Last log lines from ${paths.logFile}:\n${logTail(paths)}`,
  );
}

/**
 * Make sure a Kafka broker is reachable and return its bootstrap string.
 * - KAFKA_BROKERS set: returns it untouched and starts nothing.
 * - A broker already answers on the port: returns it.
 * - Otherwise fetches (once), formats (once) and starts the local broker detached, then waits for it.
 */
export async function ensureKafka(opts = {}) {
  const log = opts.log ?? defaultLog;
  const timeoutMs = opts.timeoutMs ?? START_TIMEOUT_MS;
  const ext = externalBrokers();
  if (ext) {
    log(`KAFKA_BROKERS is set: using external cluster ${ext}, not starting a local broker`);
    return ext;
  }
  const { port, controllerPort } = resolvePorts(opts);
  const brokers = `${HOST}:${port}`;
  const paths = kafkaPaths();

  const already = await probeKafka(HOST, port, { expectNodeId: NODE_ID });
  if (already.ready) {
    const pid = readPid(paths);
    log(`Kafka already running on ${brokers}${isOurBroker(pid) ? ` (pid ${pid})` : ''}; nothing to do`);
    return brokers;
  }

  return withLock(paths, timeoutMs + 120_000, async () => {
    // Another process may have started it while we waited for the lock.
    let pid = readPid(paths);
    if (isOurBroker(pid)) {
      log(`Kafka (pid ${pid}) is starting; waiting for ${brokers}`);
      await waitReady(paths, port, null, timeoutMs);
      log(`Kafka ready on ${brokers} (pid ${pid})`);
      return brokers;
    }
    if (pid) {
      log(`removing stale pid file (pid ${pid} is not a running Kafka broker)`);
      rmSync(paths.pidFile, { force: true });
    }
    const probe = await probeKafka(HOST, port, { expectNodeId: NODE_ID });
    if (probe.ready) {
      log(`Kafka already running on ${brokers}; nothing to do`);
      return brokers;
    }
    if (probe.kafka) {
      throw new KafkaToolError(
        `a Kafka broker not managed by this tool answers on ${brokers} but its metadata does not show node ${NODE_ID} (brokers: ${JSON.stringify(probe.brokers)}). Stop it, or set KAFKA_BROKERS=${brokers} to use it.`,
      );
    }
    if (probe.listening || (await tcpOpen(HOST, port))) {
      throw new KafkaToolError(`port ${port} on ${HOST} is in use by something that does not speak Kafka; free it or set KAFKA_PORT`);
    }
    if (await tcpOpen(HOST, controllerPort)) {
      throw new KafkaToolError(`controller port ${controllerPort} on ${HOST} is already in use; free it or set KAFKA_CONTROLLER_PORT`);
    }

    checkJava();
    const classpath = kafkaClasspath({ log });
    mkdirSync(paths.data, { recursive: true });
    writeFileSync(paths.config, serverProperties({ port, controllerPort, dataDir: paths.data }));
    const id = clusterId(paths, classpath);
    formatStorage(paths, classpath, id, log);

    if (existsSync(paths.logFile)) renameSync(paths.logFile, `${paths.logFile}.1`);
    const out = openSync(paths.logFile, 'a');
    const heap = (process.env.KAFKA_HEAP_OPTS || '-Xms256m -Xmx768m').split(/\s+/).filter(Boolean);
    const extra = (process.env.KAFKA_JVM_OPTS || '').split(/\s+/).filter(Boolean);
    const jvmArgs = [
      ...heap,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      ...JVM_LOG_OPTS,
      ...extra,
      '-cp',
      classpath,
      'kafka.Kafka',
      paths.config,
    ];
    log(`starting Kafka ${KAFKA_VERSION} on ${brokers} (controller ${HOST}:${controllerPort}), log: ${paths.logFile}`);
    const child = spawn(javaBin(), jvmArgs, { cwd: paths.home, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    const spawnError = await new Promise((res) => {
      child.once('error', res);
      child.once('spawn', () => res(null));
    });
    if (spawnError) throw new KafkaToolError(`failed to spawn ${javaBin()}: ${spawnError.message}\n${INSTALL_HINT}`);
    pid = child.pid;
    writeFileSync(paths.pidFile, `${pid}\n`);
    child.unref();

    const t0 = Date.now();
    try {
      await waitReady(paths, port, child, timeoutMs);
    } catch (e) {
      if (isAlive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      rmSync(paths.pidFile, { force: true });
      throw e;
    }
    log(`Kafka ready on ${brokers} (pid ${pid}, cluster ${id}) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return brokers;
  });
}

/** Stop the locally managed broker: SIGTERM, wait up to 30 s, then SIGKILL. */
export async function stopKafka(opts = {}) {
  const log = opts.log ?? defaultLog;
  const paths = kafkaPaths();
  const pid = readPid(paths);
  if (!pid) {
    const ports = readConfiguredPorts(paths) ?? resolvePorts(opts);
    const p = await probeKafka(HOST, ports.port);
    if (p.kafka) log(`no pid file, but a Kafka broker answers on ${HOST}:${ports.port}; it is not managed by this tool, leaving it alone`);
    else log('Kafka is not running (no pid file)');
    return { stopped: false, pid: null };
  }
  if (!isOurBroker(pid)) {
    log(`pid ${pid} from ${paths.pidFile} is not a running Kafka; removing stale pid file`);
    rmSync(paths.pidFile, { force: true });
    return { stopped: false, pid };
  }
  log(`stopping Kafka (pid ${pid}) ...`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + (opts.timeoutMs ?? STOP_TIMEOUT_MS);
  while (isAlive(pid) && Date.now() < deadline) await sleep(250);
  let killed = false;
  if (isAlive(pid)) {
    log(`Kafka did not exit within ${(opts.timeoutMs ?? STOP_TIMEOUT_MS) / 1000}s; sending SIGKILL`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* exited meanwhile */
    }
    killed = true;
    const killDeadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < killDeadline) await sleep(100);
  }
  rmSync(paths.pidFile, { force: true });
  log(`Kafka stopped${killed ? ' (killed)' : ''}`);
  return { stopped: true, pid, killed };
}

/** { running, external, managed, pid, port, controllerPort, brokers, clusterId, kafkaVersion } */
export async function kafkaStatus(opts = {}) {
  const ext = externalBrokers();
  if (ext) {
    const [h, p] = ext.split(',')[0].trim().replace(/^\w+:\/\//, '').split(':');
    const probe = await probeKafka(h, Number(p) || DEFAULT_PORT);
    return { running: probe.ready, external: true, managed: false, pid: null, brokers: ext, clusterId: probe.clusterId, error: probe.error };
  }
  const paths = kafkaPaths();
  const ports = readConfiguredPorts(paths) ?? resolvePorts(opts);
  const pidRaw = readPid(paths);
  const pid = isOurBroker(pidRaw) ? pidRaw : null;
  const probe = await probeKafka(HOST, ports.port, { expectNodeId: NODE_ID });
  return {
    running: probe.ready,
    external: false,
    managed: pid !== null,
    pid,
    stalePid: pidRaw && !pid ? pidRaw : null,
    port: ports.port,
    controllerPort: ports.controllerPort,
    brokers: `${HOST}:${ports.port}`,
    clusterId: probe.clusterId,
    kafkaVersion: KAFKA_VERSION,
    home: paths.home,
    error: probe.ready ? null : probe.error,
  };
}

/** Stop the broker and delete its data, cluster id and logs (keeps the fetched jars). */
export async function resetKafka(opts = {}) {
  const log = opts.log ?? defaultLog;
  await stopKafka(opts);
  const paths = kafkaPaths();
  for (const p of [paths.data, paths.clusterIdFile, paths.config, paths.logFile, `${paths.logFile}.1`, paths.pidFile]) {
    rmSync(p, { recursive: true, force: true });
  }
  log(`deleted Kafka data in ${paths.home} (jars kept)`);
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

const USAGE = `usage: node tools/kafka/local-kafka.mjs <command>

  start       fetch (once), format (once) and start a single-node KRaft broker on 127.0.0.1:$KAFKA_PORT (9092)
  stop        SIGTERM the broker (SIGKILL after 30 s)
  restart     stop + start
  status      print running/stopped; exit 0 when running, 1 otherwise
  reset       stop and delete data (jars are kept)
  classpath   print the Java classpath (for org.apache.kafka.tools.* classes)
  fetch       only resolve the pinned jars with Maven
  logs [N]    print the last N (default 100) broker log lines
  exec <MainClass> [args...]   run a Java main class on the Kafka classpath

env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_BROKERS (use external cluster),
     PRESTANDA_HOME (<repo>/.local), KAFKA_HEAP_OPTS (-Xms256m -Xmx768m), KAFKA_JVM_OPTS, JAVA_HOME`;

async function main(argv) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start': {
      const brokers = await ensureKafka();
      process.stdout.write(`${brokers}\n`);
      return 0;
    }
    case 'stop':
      if (externalBrokers()) {
        defaultLog(`KAFKA_BROKERS is set (${externalBrokers()}): external cluster, nothing to stop`);
        return 0;
      }
      await stopKafka();
      return 0;
    case 'restart':
      await stopKafka();
      process.stdout.write(`${await ensureKafka()}\n`);
      return 0;
    case 'status': {
      const s = await kafkaStatus();
      if (s.external) {
        process.stdout.write(`${s.running ? 'running' : 'unreachable'} (external KAFKA_BROKERS=${s.brokers})\n`);
      } else if (s.running) {
        process.stdout.write(
          `running (${s.managed ? `pid ${s.pid}` : 'not managed by this tool'}, port ${s.port}, controller port ${s.controllerPort}, cluster ${s.clusterId}, kafka ${s.kafkaVersion})\n`,
        );
      } else {
        process.stdout.write(
          `stopped (port ${s.port}${s.pid ? `, pid ${s.pid} alive but not answering: ${s.error}` : ''}${s.stalePid ? `, stale pid file ${s.stalePid}` : ''})\n`,
        );
      }
      return s.running ? 0 : 1;
    }
    case 'reset':
      if (externalBrokers()) {
        defaultLog('KAFKA_BROKERS is set: refusing to reset an external cluster');
        return 1;
      }
      await resetKafka();
      return 0;
    case 'classpath':
      process.stdout.write(`${kafkaClasspath()}\n`);
      return 0;
    case 'fetch':
      checkJava();
      fetchKafka({ force: rest.includes('--force') });
      process.stdout.write(`${kafkaPaths().libs}\n`);
      return 0;
    case 'logs':
      process.stdout.write(`${logTail(kafkaPaths(), Number(rest[0]) || 100)}\n`);
      return 0;
    case 'exec': {
      if (!rest[0]) throw new KafkaToolError('exec needs a main class, e.g. org.apache.kafka.tools.TopicCommand --help');
      checkJava();
      const cp = kafkaClasspath();
      const r = spawnSync(javaBin(), ['-Xmx512m', ...JVM_LOG_OPTS, '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', cp, ...rest], { stdio: 'inherit' });
      return r.status ?? 1;
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return cmd ? 0 : 2;
    default:
      process.stderr.write(`unknown command: ${cmd}\n${USAGE}\n`);
      return 2;
  }
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`[local-kafka] ERROR: ${err instanceof KafkaToolError ? err.message : err?.stack || err}\n`);
      process.exit(1);
    },
  );
}
