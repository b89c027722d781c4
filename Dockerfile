# syntax=docker/dockerfile:1
# One image for the API and the worker: `node platform/dist/main.js` (default) or `node workers/dist/main.js`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY contracts/package.json contracts/
COPY platform/package.json platform/
COPY workers/package.json workers/
COPY tenant-console/package.json tenant-console/
COPY template-miniapp/package.json template-miniapp/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# The Chinese font packing lists and shipping labels are printed with (PDF_CJK_FONT, ADR 0021).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/contracts/package.json contracts/package.json
COPY --from=build /app/contracts/dist contracts/dist
COPY --from=build /app/platform/package.json platform/package.json
COPY --from=build /app/platform/dist platform/dist
COPY --from=build /app/workers/package.json workers/package.json
COPY --from=build /app/workers/dist workers/dist
COPY --from=build /app/migrations/dist migrations/dist
COPY --from=build /app/tenant-console/dist tenant-console/dist
COPY --from=build /app/template-miniapp/dist template-miniapp/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# A young generation sized for a server's churn of short-lived objects (docs/operations.md, API processes).
CMD ["node", "--max-semi-space-size=64", "platform/dist/main.js"]
