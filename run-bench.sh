#!/usr/bin/env bash
# poolbench: measure multiprocessing against multithreading on the JVM.
#
#   ./run-bench.sh [smoke|quick|full] [--workloads LIST] [--backends LIST] [--workers LIST] [--cores LIST]
#                  [--families LIST] [--python PATH] [--no-python] [--dry-run] [-- JMH-ARGS]
#   ./run-bench.sh charts <results.csv> [--out DIR]
#   ./run-bench.sh report <results/RUN-ID>
#   ./run-bench.sh compare <results/RUN-A> <results/RUN-B>
#   ./run-bench.sh reproduce <results/RUN-ID> [--families LIST] [--workloads LIST] [--tolerance F] [--with RUN]
#   ./run-bench.sh env
#   ./run-bench.sh member [--bind HOST] [--port PORT] [--join HOST:PORT,...]   (one cluster member; docs/CLUSTER.md)
#   ./run-bench.sh soak [--rounds N] [--seed S] [--transport pipe|shared-memory] [--out FILE]
#
# Picks a JDK >= 21 by itself (JAVA_HOME if it is one, else the newest under /usr/lib/jvm), builds
# target/benchmarks.jar when it is missing or older than the sources, and runs the CLI (org.poolbench.cli.Main).
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "run-bench.sh: $*" >&2; exit "${2:-1}"; }

# The feature version of a java binary (8, 17, 21, 25, ...), or nothing if it does not run.
java_version() {
  "$1" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {v=$2; sub(/^1\./, "", v); print v; exit}'
}

pick_java() {
  local candidates=() best="" best_v=0 j v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  for j in /usr/lib/jvm/*/bin/java; do [ -x "$j" ] && candidates+=("$j"); done
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  # JAVA_HOME wins when it is recent enough; otherwise the newest JDK found.
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(java_version "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$JAVA_HOME/bin/java"; return; fi
  fi
  for j in "${candidates[@]}"; do
    v=$(java_version "$j"); [ -n "$v" ] || continue
    if [ "$v" -gt "$best_v" ]; then best="$j"; best_v="$v"; fi
  done
  if [ "$best_v" -ge 21 ]; then echo "$best"; return; fi
  local seen=""
  for j in "${candidates[@]}"; do seen+=" $j ($(java_version "$j"))"; done
  die "poolbench needs a JDK 21 or newer; found only:${seen:- none}. Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME." 1
}

JAVA=$(pick_java)
JAVA_HOME_PICKED=$(dirname "$(dirname "$JAVA")")
JAR=target/benchmarks.jar

# Build when the jar is missing or any source is newer than it.
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to build $JAR; install it (apt-get install maven)"
  echo "run-bench.sh: building $JAR with $("$JAVA" -version 2>&1 | head -n 1)"
  JAVA_HOME="$JAVA_HOME_PICKED" mvn -B -q package -DskipTests || die "the build failed"
fi
# A jar built without the annotation processor has no benchmarks, and JMH would then "succeed" with nothing.
if ! "$JAVA" -cp "$JAR" org.openjdk.jmh.Main -l 2>/dev/null | grep -q 'org\.poolbench\.bench\.'; then
  die "$JAR lists no benchmarks: rebuild it with 'mvn -B package' on JDK 21+ (annotation processing must run)"
fi

cmd=run
case "${1:-}" in
  charts|report|compare|reproduce|env|run|member|soak|lesson) cmd=$1; shift ;;
  -h|--help) cmd=run ;;
esac
# A member gets the module openings Hazelcast asks for (as LocalCluster.FLAGS gives the members it starts).
member_flags=()
[ "$cmd" = member ] && member_flags=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)
exec "$JAVA" -Djava.awt.headless=true ${member_flags[@]+"${member_flags[@]}"} -cp "$JAR" org.poolbench.cli.Main "$cmd" "$@"
