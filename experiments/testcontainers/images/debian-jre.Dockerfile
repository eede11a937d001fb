# The base of every Blast Radius JVM image: a Java 17 runtime of only the modules the services use (made
# with jlink from the jmods of Debian's OpenJDK 17 JDK, with its class-data archive), tini (so that the JVM is not PID 1
# and a SIGSTOP sent inside the container reaches it) and a non-root user, uid 10001.
# `./blastradius images` builds it as blastradius/jre:17 FROM debian:bookworm-slim when that can be
# pulled, else FROM a Debian made here with debootstrap (blastradius/debian:bookworm).
ARG DEBIAN=debian:bookworm-slim

FROM ${DEBIAN} AS jlink
# (slim Debians leave out the manuals' folders, which OpenJDK's install links into; jlink strips with objcopy;
# tini comes from this stage too, as its static build, so that the image itself needs no package index)
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless binutils tini
# the modules the services' libraries use (Spring, Tomcat, Netty, Lettuce, Micrometer, Chaos Monkey):
# java.desktop for java.beans, jdk.unsupported for Netty's and Lettuce's sun.misc, jdk.management for the
# actuator's process metrics; one missing fails a service's start, which the container tests would show
RUN jlink --output /opt/java --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive \
      --add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

FROM ${DEBIAN}
COPY --from=jlink /usr/bin/tini-static /usr/bin/tini
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin blastradius \
 && mkdir /app && chown 10001:10001 /app
COPY --from=jlink /opt/java /opt/java
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY healthy boot-cds /usr/local/bin/
# the options the local launcher gives every service JVM (LocalReplica.JVM_OPTIONS)
ENV JAVA_OPTIONS="-XX:+UseSerialGC -Xss512k -Xms64m -Xmx256m -XX:MetaspaceSize=128m -XX:+ExitOnOutOfMemoryError"
WORKDIR /app
