#!/bin/bash
# ValidateService: succeed only once the health endpoint answers 2xx, within HEALTH_TIMEOUT_SECONDS.
# On failure, print what CodeDeploy's log tail should show: the container state and its last log lines.
# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
load_image_env

attempts=$(((HEALTH_TIMEOUT_SECONDS + HEALTH_INTERVAL_SECONDS - 1) / HEALTH_INTERVAL_SECONDS))
((attempts >= 1)) || attempts=1
log "Waiting up to ${HEALTH_TIMEOUT_SECONDS}s for $HEALTH_URL"
for ((i = 1; i <= attempts; i++)); do
  if curl --fail --silent --show-error --max-time 5 --output /dev/null "$HEALTH_URL"; then
    log "Healthy after $i check(s)."
    exit 0
  fi
  if ((i < attempts)); then
    sleep "$HEALTH_INTERVAL_SECONDS"
  fi
done

log "Not healthy after ${HEALTH_TIMEOUT_SECONDS}s. Container state:"
docker ps --all --filter "name=^${CONTAINER_NAME}$" --format '{{.Names}} {{.Status}}' || true
log "Last log lines of $CONTAINER_NAME:"
docker logs --tail 40 "$CONTAINER_NAME" 2>&1 || true
die "$HEALTH_URL did not answer within ${HEALTH_TIMEOUT_SECONDS}s."
