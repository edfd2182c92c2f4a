#!/usr/bin/env bash
# The S3 adapter vs the AWS CLI against one in-process S3Proxy on loopback, same run, as ratios.
# Usage: bench/scripts/storage-s3-vs-awscli.sh [--rounds N] [--only big|medium|small] [--part-size 16MiB]
#        [--part-concurrency 8] [--object-concurrency 10]
# Needs: the AWS CLI on PATH (apt-get install awscli), ~5 GiB free under bench/results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v aws >/dev/null || { echo "the AWS CLI is the baseline: install it (apt-get install awscli)" >&2; exit 2; }
./mvnw -B -q -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/bench/target/classpath.txt" -Dmdep.includeScope=runtime
# Plain http on loopback: a CA bundle from the environment would only confuse the CLI.
unset AWS_CA_BUNDLE
exec java -Xmx1g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  -Dlogback.configurationFile=bench/scripts/storage-logback.xml \
  io.skyforge.bench.storage.S3AdapterVsAwsCli "$@"
