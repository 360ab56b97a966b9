# One image for every boxoffice app. The app is chosen by the command:
#   node dist/apps/<app>/src/main.js           serve (gateway, catalog, inventory, …)
#   node dist/apps/<app>/src/main.js migrate   apply that context's migrations, then exit
#   node dist/apps/web/src/main.js             the storefront's server and its built pages (dist/web)
# Settings come from the environment, exactly as the local stack passes them
# (tools/stack/app-env.ts); see docs/deployment.md.

# Node.js 24 LTS (ADR 0025). `npm run test:image` builds this file with podman
# and runs every app from the image (docs/deployment.md).
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: dev dependencies, TypeScript compile -----------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are not needed to compile (the only approved one fetches
# the local stack's Postgres binaries, which no container uses).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY libs libs
COPY apps apps
COPY tools tools
# Also builds the storefront's pages (vite build, into dist/web).
RUN npm run build

# --- runtime: production dependencies and the compiled output only -----------
FROM ${NODE_IMAGE} AS runtime
# tini runs as PID 1: it forwards SIGTERM to node (whose shutdown hooks close
# Kafka consumers and pools cleanly) and reaps zombies. From Debian's packages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The mail sink folder (MAILBOX_DIR) is the only place the apps write to;
# in Kubernetes it is an emptyDir and the root filesystem is read-only.
RUN mkdir -p /data/mailbox && chown 1000:1000 /data/mailbox
# The image's `node` user, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
ENV HOST=0.0.0.0 \
    PORT=8080 \
    MAILBOX_DIR=/data/mailbox \
    KAFKAJS_NO_PARTITIONER_WARNING=1
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/gateway/src/main.js"]
