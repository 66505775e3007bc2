#!/usr/bin/env bash
# Makes a local Docker base image with no registry: a jlink'ed Java 17 runtime holding only the
# modules the agent needs, the host's glibc (and the few libraries the JVM loads), a passwd entry
# for uid 10001, imported with `docker import` from a rootfs tarball.
#
#   scripts/image/make-jre-base.sh <app-dir with ddbstream-scaler.jar and lib/> <image-tag>
#
# Idempotent: the tag carries a hash of the module list and the JDK version, and an existing image
# with that tag is reused. Prints the tag it made (or found) on the last line of stdout.
set -euo pipefail

APP_DIR=${1:?usage: make-jre-base.sh APP_DIR IMAGE_REPO}
IMAGE_REPO=${2:?usage: make-jre-base.sh APP_DIR IMAGE_REPO}
DOCKER=${DOCKER:-docker}
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

log() { echo "[make-jre-base] $*" >&2; }

# Modules the code refers to (jdeps over the app and its dependencies), plus those only loaded
# reflectively at run time, which jdeps cannot see:
#   jdk.crypto.ec     TLS to AWS and the API server (ECDHE key exchange, EC certificates)
#   jdk.httpserver    the JDK HTTP server some test/demo helpers embed
#   java.management, jdk.management   JMX and the JVM metrics Micrometer and Camel read
#   jdk.unsupported   sun.misc.Unsafe (Netty, Vert.x)
#   jdk.naming.dns    JNDI DNS lookups (Netty's resolver falls back to it)
#   jdk.zipfs         camel-main scans classpath jars as file systems
RUNTIME_MODULES="jdk.crypto.ec,jdk.httpserver,java.management,jdk.management,jdk.unsupported,jdk.naming.dns,jdk.zipfs"

log "jdeps over $APP_DIR (about 10 s)"
JDEPS_MODULES=$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 -q \
    --class-path "$APP_DIR/lib/*" "$APP_DIR/ddbstream-scaler.jar" "$APP_DIR"/lib/*.jar | tail -1)
MODULES=$(echo "$JDEPS_MODULES,$RUNTIME_MODULES" | tr ',' '\n' | sort -u | paste -sd, -)
JDK_VERSION=$("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 1p)  # not head: SIGPIPE under pipefail
# BASE_LAYOUT: bump when what this script puts in the base changes, so that an older base is not reused.
BASE_LAYOUT="2: headless, stripped libjvm, CDS archive of the JDK"
TAG="$IMAGE_REPO:17-$(printf '%s\n%s\n%s\n' "$MODULES" "$JDK_VERSION" "$BASE_LAYOUT" | sha256sum | cut -c1-12)"

if $DOCKER image inspect "$TAG" >/dev/null 2>&1; then
    log "reusing $TAG"
    echo "$TAG"
    exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/rootfs"
mkdir -p "$ROOT"/{etc,tmp,opt/java}
chmod 1777 "$ROOT/tmp"

log "jlink $MODULES"
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --output "$WORK/jre" \
    --strip-debug --no-man-pages --no-header-files --compress=2
# Debian's JDK links lib/security/cacerts to /etc/ssl/certs/java/cacerts: put the real file in.
if [ -L "$WORK/jre/lib/security/cacerts" ] || [ ! -s "$WORK/jre/lib/security/cacerts" ]; then
    rm -f "$WORK/jre/lib/security/cacerts"
    cp -L "$JAVA_HOME/lib/security/cacerts" "$WORK/jre/lib/security/cacerts"
fi
# Headless: java.desktop is in the module list only for java.beans (jdeps), so the AWT, font, image and sound
# native libraries are never loaded; without them ldd below does not pull X11, freetype, harfbuzz, glib, ALSA
# (about 10 MB). Debian's libjvm.so keeps its symbol table: stripping it saves about 4 MB.
for lib in libawt.so libawt_xawt.so libawt_headless.so libjawt.so libmlib_image.so libfontmanager.so libjavajpeg.so \
           liblcms.so libsplashscreen.so libjsound.so; do
    rm -f "$WORK/jre/lib/$lib"
done
if command -v strip >/dev/null 2>&1; then strip --strip-unneeded "$WORK/jre/lib/server/libjvm.so"; fi
# The JDK's own class-data-sharing archive (a jlink'ed runtime has none): the JDK classes every start loads are
# mapped from this file instead of parsed, and the pages are shared by every container of the node running this
# image. About 13 MB. The default GC's archive works with the image's SerialGC too (classes, not archived heap).
"$WORK/jre/bin/java" -Xshare:dump -Xlog:cds=warning >/dev/null
cp -a "$WORK/jre/." "$ROOT/opt/java/"
mkdir -p "$ROOT/usr/bin"
ln -s /opt/java/bin/java "$ROOT/usr/bin/java"

# The shared libraries the runtime links against (ldd), with their symlinks, plus those glibc
# dlopen()s and ldd cannot see: name-service switch modules for DNS and /etc/hosts.
copy_lib() {
    local f=$1
    [ -e "$f" ] || return 0
    mkdir -p "$ROOT$(dirname "$f")"
    cp -L "$f" "$ROOT$f"
}
# (Only libraries outside the runtime: the runtime's own .so files name each other through $ORIGIN, and copying
# those again would put a second copy of them under the temporary folder's path.)
LIBS=$(find "$WORK/jre" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
    | grep -oE '/[^ ]+\.so[^ ]*' | grep -v "^$WORK/" | sort -u)
for lib in $LIBS; do copy_lib "$lib"; done
for extra in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 \
             /lib/x86_64-linux-gnu/libresolv.so.2 /lib64/ld-linux-x86-64.so.2 \
             /lib/aarch64-linux-gnu/libnss_files.so.2 /lib/aarch64-linux-gnu/libnss_dns.so.2 \
             /lib/aarch64-linux-gnu/libresolv.so.2 /lib/ld-linux-aarch64.so.1; do
    copy_lib "$extra"
done
# Debian's merged /usr: keep /lib and /lib64 where the loader looks for them.
for d in lib lib64; do
    if [ -d "$ROOT/$d" ] && [ ! -e "$ROOT/usr/$d" ]; then ln -s "/$d" "$ROOT/usr/$d"; fi
done

cat > "$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
scaler:x:10001:10001:ddbstream-scaler:/tmp:/sbin/nologin
EOF
cat > "$ROOT/etc/group" <<'EOF'
root:x:0:
scaler:x:10001:
EOF
echo 'hosts: files dns' > "$ROOT/etc/nsswitch.conf"

log "docker import $TAG ($(du -sh "$ROOT" | cut -f1) rootfs)"
tar -C "$ROOT" -c . | $DOCKER import \
    -c 'ENV JAVA_HOME=/opt/java PATH=/opt/java/bin:/usr/bin LANG=C.UTF-8' \
    -m "jlink'ed JRE 17 ($MODULES) + host glibc" - "$TAG" >/dev/null
# Fail here, not in the app build, if the base cannot run java.
$DOCKER run --rm --network none "$TAG" java -version >&2
echo "$TAG"
