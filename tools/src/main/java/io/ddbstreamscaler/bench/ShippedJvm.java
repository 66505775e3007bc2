package io.ddbstreamscaler.bench;

import java.util.List;

/**
 * The JVM flags the image runs the agent with: the Dockerfile's JAVA_TOOL_OPTIONS and the flags of its ENTRYPOINT.
 * Kept equal to the Dockerfile by {@code ShippedJvmTest}.
 */
public final class ShippedJvm {

    /** The Dockerfile's {@code ENV JAVA_TOOL_OPTIONS}. */
    public static final String JAVA_TOOL_OPTIONS =
            "-XX:+UseSerialGC -Xms16m -Xmx48m -Xmn6m -Xss512k -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1";

    /** The flags of the Dockerfile's ENTRYPOINT before {@code -jar}. */
    public static final List<String> ENTRYPOINT_FLAGS =
            List.of("-XX:+ExitOnOutOfMemoryError", "-Djava.security.egd=file:/dev/./urandom");

    private ShippedJvm() {
    }
}
