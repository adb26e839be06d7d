# Wicket: production image. Build: docker build -t wicket .  Run: see docker-compose.yml.
FROM node:20-bookworm-slim AS deps
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    WICKET_DATA_DIR=/data \
    WICKET_CERTS_DIR=/certs
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
RUN mkdir -p /data /certs && chown node:node /data /certs
USER node
VOLUME ["/data", "/certs"]
# MX, IMAP, IMAPS, submission, submissions, HTTP (standard port + 1000 inside the container).
EXPOSE 1025 1143 1993 1587 1465 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec form: the node process gets SIGTERM directly and shuts down cleanly.
CMD ["node", "bin/wicket.js", "serve"]
