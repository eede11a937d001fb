# Redis from Debian's package, as the session store of the replica. The password comes from
# REDIS_PASSWORD at start (it refuses to start without one); nothing is persisted.
ARG DEBIAN=debian:bookworm-slim
FROM ${DEBIAN}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*
USER redis
EXPOSE 6379
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -p 6379 ping | grep -q PONG
ENTRYPOINT ["sh", "-c", "exec redis-server --bind 0.0.0.0 --port 6379 --protected-mode no --save '' --appendonly no --requirepass \"${REDIS_PASSWORD:?set REDIS_PASSWORD}\""]
