# ddbstream-scaler: the agent image.
#
#   docker build -t ddbstream-scaler .                       # online: Maven build inside Docker
#   scripts/build-image.sh                                   # offline: local bases, prebuilt target/
#
# Stages (the model is apache/flink-kubernetes-operator's and kedacore/keda's Dockerfiles):
#   build     Maven on a JDK; dependencies resolved in their own layer, so a source edit
#             does not download the world again.
#   prebuilt  the jar and lib/ that `mvn package` already made on the host (target/): the way to
#             build without a registry or Maven Central (scripts/build-image.sh uses it).
#   app       whichever of the two APP_SOURCE names (default: build).
#   runtime   a Java 17 JRE, a numeric non-root user, dependencies and the app in separate layers.
#
# Base images are build arguments so that a machine with no registry can point them at local images
# (scripts/build-image.sh makes a jlink'ed JRE base with `docker import`). The unused stage is never
# built with BuildKit (DOCKER_BUILDKIT=1), so APP_SOURCE=prebuilt never pulls BUILD_IMAGE.

ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre
ARG APP_SOURCE=build

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# Dependency layer: only the poms, so it is rebuilt when dependencies change, not when code does. The agent is built
# with the simulator module its tests name (-am); the tools module is not built: nothing of it is in the image.
COPY pom.xml ./
COPY agent/pom.xml ./agent/
COPY simulator/pom.xml ./simulator/
RUN mvn -B -q -pl agent -am dependency:go-offline
COPY agent/src ./agent/src
COPY simulator/src ./simulator/src
COPY routes ./routes
# Not offline: go-offline does not fetch protoc and protoc-gen-grpc-java (the protobuf plugin resolves them when it
# runs, for the KEDA external scaler's stubs); the dependencies above are cached all the same.
RUN mvn -B -q -pl agent -am package -DskipTests

FROM scratch AS prebuilt
# The same paths the build stage produces; .dockerignore lets exactly these two through from target/.
COPY target/lib/ /src/target/lib/
COPY target/ddbstream-scaler.jar /src/target/ddbstream-scaler.jar

FROM ${APP_SOURCE} AS app

FROM ${RUNTIME_IMAGE} AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="ddbstream-scaler" \
      org.opencontainers.image.description="KEDA-compatible DynamoDB Streams autoscaler for Kubernetes, built on Apache Camel" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"

# Dependencies first: about 63 MB that change only with the pom, so an app rebuild ships a small layer.
COPY --from=app --chown=0:0 /src/target/lib/ /opt/ddbstream-scaler/lib/
COPY --from=app --chown=0:0 /src/target/ddbstream-scaler.jar /opt/ddbstream-scaler/ddbstream-scaler.jar
# The YAML DSL routes, read at run time from SCALER_ROUTES: mount the ddbstream-scaler-routes
# ConfigMap over this folder to change them without rebuilding the image.
COPY --chown=0:0 routes/ /opt/ddbstream-scaler/routes/

# Owned by root and read-only to the agent: the pod runs with readOnlyRootFilesystem anyway.
# /etc/ddbstream-scaler is where the trigger ConfigMap (ScaledObject + TriggerAuthentication) is mounted.
WORKDIR /opt/ddbstream-scaler
USER 10001:10001

# Sized for a sidecar: the heap starts at 16 MiB and may grow to 48 MiB (a leader with one ScaledObject
# keeps about 20-25 MiB live and uses 25-35 MiB with its young garbage; bench --scenario footprint
# prints both), aiming at an RSS of at most 128 MiB. A standalone agent with hundreds of ScaledObjects
# needs more (the scale bench runs -Xmx256m). A 6 MiB young generation: the poll's garbage dies young, and a
# bigger eden only adds pages touched once per cycle (-Xmn6m: 7 MiB less RSS after 5 min, 0.6 s more CPU).
# Serial GC: one core or less, a small heap, no GC threads to pay for. C1 only
# (TieredStopAtLevel=1): the agent runs one short loop every few seconds, C2 would cost RSS for
# nothing. Set JAVA_TOOL_OPTIONS to replace these: the JVM reads that variable before the command
# line, so the same flags in ENTRYPOINT could not be overridden.
ENV SCALER_CONFIG=/etc/ddbstream-scaler \
    SCALER_ROUTES=/opt/ddbstream-scaler/routes \
    SCALER_LEADER_ELECTION=auto \
    SCALER_DRY_RUN=false \
    SCALER_LOG_FORMAT=text \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms16m -Xmx48m -Xmn6m -Xss512k -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1"

# The management server (observe.ManagementServer, the JDK's HTTP server): /observe/metrics,
# /observe/health, /observe/health/live, /observe/health/ready, /observe/status.
# KEDA's external scaler API listens only when SCALER_GRPC_PORT (or run --grpc-port) is set: k8s/overlays/keda-external
# declares its port (9090), so the image exposes the management port alone.
EXPOSE 9876

# Flags nobody should turn off: die on OOM so the kubelet restarts the container (a half-dead
# JVM would stop scaling silently); non-blocking entropy for TLS to AWS and the API server.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-Djava.security.egd=file:/dev/./urandom", "-jar", "/opt/ddbstream-scaler/ddbstream-scaler.jar"]
CMD ["run"]
