# The base of every Blast Radius JVM image: Debian's OpenJDK 17 runtime, tini (so that the JVM is not
# PID 1 and a SIGSTOP sent inside the container reaches it) and a non-root user, uid 10001.
# `./blastradius images` builds it as blastradius/jre:17 FROM debian:bookworm-slim when that can be
# pulled, else FROM a Debian made here with debootstrap (blastradius/debian:bookworm).
ARG DEBIAN=debian:bookworm-slim
FROM ${DEBIAN}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless tini \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin blastradius \
 && mkdir /app && chown 10001:10001 /app
COPY healthy boot-cds /usr/local/bin/
# the options the local launcher gives every service JVM (LocalReplica.JVM_OPTIONS)
ENV JAVA_OPTIONS="-XX:+UseSerialGC -Xss512k -Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError"
WORKDIR /app
