#!/bin/bash
# ApplicationStop: stop the running container gracefully (it is replaced in ApplicationStart).
# Runs from the previous revision; on a fresh instance there is nothing to stop.
# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
load_image_env

if docker container inspect "$CONTAINER_NAME" >/dev/null 2>&1; then
  log "Stopping container $CONTAINER_NAME"
  docker stop --time 30 "$CONTAINER_NAME"
else
  log "No container named $CONTAINER_NAME; nothing to stop."
fi
