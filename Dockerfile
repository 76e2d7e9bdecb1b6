# syntax=docker/dockerfile:1
# Guichet vert — one image, three roles:
#   node dist/src/main.js        HTTP api (default)
#   node dist/src/worker.js      queue workers
#   node dist/src/all-in-one.js  both in one process

# ---- build: full dependencies, compile TypeScript to dist/ ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci may refuse a lock file missing other platforms' optional packages; npm install keeps the locked versions.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies and compiled output only ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN (npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund) \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# The boot's configuration errors point to it.
COPY .env.example ./
# var/ (mail files when SMTP_URL is empty, local storage) must be writable by the unprivileged user.
RUN mkdir -p var/mail && chown -R node:node var
USER node
EXPOSE 3000
# Call node directly: "npm start" would run the prestart build, which needs dev dependencies.
CMD ["node", "--max-old-space-size=192", "dist/src/main.js"]
