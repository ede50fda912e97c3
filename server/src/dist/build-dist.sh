#!/usr/bin/env bash
# The self-contained distribution (profile dist): target/dist/sqlkit-server/ and
# target/sqlkit-server-dist.tar.gz, with
#   runtime/  a Java runtime made by jlink with only the JDK modules the server's classes use (jdeps)
#   lib/      sqlkit-server.jar and its libs/, as the jar runs from target/
#   bin/      the launcher, sqlkit-server
# Usage: build-dist.sh <JDK home> <target directory>
set -euo pipefail
jdk="$1"
target="$2"
dist="$target/dist/sqlkit-server"

# jdeps sees the static uses; the extras are loaded by name at run time: jdk.charsets for the
# database's less common character sets, jdk.crypto.ec where a JDK still keeps elliptic curves apart
# (TLS to the database), jdk.zipfs for jar-internal file systems.
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release base --recursive \
  --class-path "$target/libs/*" "$target/sqlkit-server.jar")
available=$("$jdk/bin/java" --list-modules)
for extra in jdk.charsets jdk.crypto.ec jdk.zipfs; do
  if grep -q "^$extra@" <<<"$available"; then modules="$modules,$extra"; fi
done

rm -rf "$target/dist"
mkdir -p "$dist/bin" "$dist/lib"
# A JDK without jmods/ (Temurin 25) links from its own run-time image (JEP 493).
# No compression: a compressed image is smaller but every class load pays for it, at every start.
"$jdk/bin/jlink" --add-modules "$modules" --output "$dist/runtime" \
  --strip-debug --no-header-files --no-man-pages --generate-cds-archive
cp "$target/sqlkit-server.jar" "$dist/lib/"
cp "$(dirname "$0")/../../jvm.options" "$dist/lib/jvm.options"
cp -r "$target/libs" "$dist/lib/libs"
install -m 755 "$(dirname "$0")/sqlkit-server" "$dist/bin/sqlkit-server"
tar -C "$target/dist" -czf "$target/sqlkit-server-dist.tar.gz" sqlkit-server
echo "sqlkit dist: $dist ($(du -sh "$dist" | cut -f1); modules $modules) and $target/sqlkit-server-dist.tar.gz ($(du -sh "$target/sqlkit-server-dist.tar.gz" | cut -f1))"
