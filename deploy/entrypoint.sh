#!/bin/sh
# The image's entry point (deploy/Dockerfile): which part of folkreg this container runs.
#   gateway            launch/gateway.ts    (npm run start:gateway)
#   subgraph <name>    launch/subgraph.ts   (npm run start:subgraph -- <name>)
#   migrate            db/migrate.ts        (npm run migrate)
# `exec node --import tsx` rather than npm or the tsx CLI: node becomes the container's PID 1 and gets
# SIGTERM itself (npm and the tsx CLI would sit in between as a parent process), so the drain runs.
set -eu
part="${1:-}"
[ "$#" -gt 0 ] && shift
case "$part" in
  gateway) exec node --import tsx launch/gateway.ts "$@" ;;
  subgraph) exec node --import tsx launch/subgraph.ts "$@" ;;
  migrate) exec node --import tsx db/migrate.ts "$@" ;;
  *)
    echo "usage: gateway | subgraph <person|family|address|reserve-id|subscription> | migrate" >&2
    exit 64
    ;;
esac
