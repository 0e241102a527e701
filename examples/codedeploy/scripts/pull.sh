#!/bin/bash
# AfterInstall: log in to the registry with the instance's own credentials and pull the image by digest.
# ECR: the instance role (ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer).
# Docker Hub: a token kept in SSM Parameter Store (ssm:GetParameter + kms:Decrypt), or anonymous pulls.
# shellcheck source=SCRIPTDIR/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
load_image_env

registry="$(registry_of "$IMAGE_REF")"
if [[ "$registry" =~ ^[0-9]{12}\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$ ]]; then
  region="${BASH_REMATCH[2]}"
  log "Logging in to ECR $registry (region $region) with the instance role"
  aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"
elif [[ "$registry" == docker.io && -n "$DOCKERHUB_USERNAME" && -n "$DOCKERHUB_TOKEN_PARAMETER" ]]; then
  log "Logging in to Docker Hub as $DOCKERHUB_USERNAME (token from SSM $DOCKERHUB_TOKEN_PARAMETER)"
  aws ssm get-parameter --name "$DOCKERHUB_TOKEN_PARAMETER" --with-decryption \
    --query Parameter.Value --output text | docker login --username "$DOCKERHUB_USERNAME" --password-stdin
else
  log "No login for $registry; pulling anonymously"
fi

log "Pulling $IMAGE_REF"
for attempt in 1 2 3; do
  if docker pull --quiet "$IMAGE_REF"; then
    exit 0
  fi
  log "Pull attempt $attempt failed"
  sleep $((attempt * 5))
done
die "Could not pull $IMAGE_REF after 3 attempts."
