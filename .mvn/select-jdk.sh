#!/bin/sh
# Prints the home of a JDK 21+ for ./mvnw to run Maven on, or explains how to provide one and fails.
#
# Why: jOOQ's code generator runs inside the Maven JVM, so Maven itself needs Java 21+, while a
# machine's default `java` is often older (17 on our build machines, with a newer JDK installed
# beside it). Order of preference:
#   1. JAVA_HOME, when it points at a JDK 21+ (an explicit choice always wins);
#   2. the `java` on PATH, when it is 21+;
#   3. the newest JDK 21+ found in the usual install locations.
set -u
MIN=21

# Major version of the JDK at $1, or empty. Reads the `release` file (no JVM start) and falls back
# to `java -version`.
major_of() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  v=""
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")
  [ -n "$v" ] || v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  v=${v#1.}
  echo "${v%%[.+-]*}"
}

ok() { m=$(major_of "$1"); [ -n "$m" ] && [ "$m" -ge "$MIN" ] 2>/dev/null; }

if [ -n "${JAVA_HOME-}" ]; then
  if ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
  m=$(major_of "$JAVA_HOME")
  if [ -n "$m" ]; then rejected="JAVA_HOME=$JAVA_HOME is Java $m"; else rejected="JAVA_HOME=$JAVA_HOME is not a JDK"; fi
else
  java_on_path=$(command -v java 2>/dev/null || true)
  if [ -n "$java_on_path" ]; then
    home=$(dirname "$(dirname "$(readlink -f "$java_on_path")")")
    if ok "$home"; then echo "$home"; exit 0; fi
    rejected="the java on PATH ($java_on_path) is Java $(major_of "$home")"
  else
    rejected="no java on PATH and JAVA_HOME is unset"
  fi
fi

best="" best_major=0
for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
                 "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [ -d "$candidate" ] || continue
  m=$(major_of "$candidate")
  [ -n "$m" ] || continue
  if [ "$m" -ge "$MIN" ] && [ "$m" -gt "$best_major" ]; then best=$candidate best_major=$m; fi
done

if [ -n "$best" ]; then
  echo "mvnw: $rejected; using the Java $best_major JDK at $best (set JAVA_HOME to choose another)." >&2
  echo "$best"
  exit 0
fi

cat >&2 <<MSG
mvnw: this build needs a JDK $MIN or newer, but $rejected and none was found under
/usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman or ~/.jdks.
Install one (e.g. apt-get install openjdk-21-jdk-headless) or point at one:
  export JAVA_HOME=/path/to/jdk-21-or-newer
MSG
exit 1
