#!/bin/bash
# ApplicationStart: replace the running container with one from the pulled image.
# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
load_image_env

if docker container inspect "$CONTAINER_NAME" >/dev/null 2>&1; then
  log "Removing the previous container $CONTAINER_NAME"
  docker rm --force "$CONTAINER_NAME"
fi

args=(run --detach --name "$CONTAINER_NAME" --restart unless-stopped --log-opt max-size=10m)
IFS=',' read -r -a port_list <<<"$PORTS"
for port in "${port_list[@]}"; do
  [[ -n "$port" ]] && args+=(--publish "$port")
done
if [[ -n "$ENV_FILE" ]]; then
  [[ -r "$ENV_FILE" ]] || die "ENV_FILE $ENV_FILE is not readable on this instance."
  args+=(--env-file "$ENV_FILE")
fi
args+=("$IMAGE_REF")

log "Starting $CONTAINER_NAME from $IMAGE_REF"
docker "${args[@]}"
