#!/bin/bash
# Shared by the hook scripts: strict mode, logging, and reading image.env without executing it.
set -euo pipefail

BUNDLE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE_ENV="${IMAGE_ENV:-$BUNDLE_DIR/image.env}"

log() {
  printf '[%s] %s\n' "${LIFECYCLE_EVENT:-hook}" "$*"
}

die() {
  printf '[%s] ERROR: %s\n' "${LIFECYCLE_EVENT:-hook}" "$*" >&2
  exit 1
}

# Reads KEY=VALUE lines of the known keys only (the file is data, never sourced).
load_image_env() {
  [[ -f "$IMAGE_ENV" ]] || die "$IMAGE_ENV is missing; the workflow must write it into the bundle."
  local key value
  while IFS='=' read -r key value || [[ -n "$key" ]]; do
    value="${value%$'\r'}"
    case "$key" in
      IMAGE_REF) IMAGE_REF="$value" ;;
      CONTAINER_NAME) CONTAINER_NAME="$value" ;;
      PORTS) PORTS="$value" ;;
      HEALTH_URL) HEALTH_URL="$value" ;;
      HEALTH_TIMEOUT_SECONDS) HEALTH_TIMEOUT_SECONDS="$value" ;;
      HEALTH_INTERVAL_SECONDS) HEALTH_INTERVAL_SECONDS="$value" ;;
      ENV_FILE) ENV_FILE="$value" ;;
      DOCKERHUB_USERNAME) DOCKERHUB_USERNAME="$value" ;;
      DOCKERHUB_TOKEN_PARAMETER) DOCKERHUB_TOKEN_PARAMETER="$value" ;;
      *) ;;
    esac
  done <"$IMAGE_ENV"
  IMAGE_REF="${IMAGE_REF:-}"
  CONTAINER_NAME="${CONTAINER_NAME:-api}"
  PORTS="${PORTS:-8080:8080}"
  HEALTH_URL="${HEALTH_URL:-http://127.0.0.1:8080/}"
  HEALTH_TIMEOUT_SECONDS="${HEALTH_TIMEOUT_SECONDS:-120}"
  HEALTH_INTERVAL_SECONDS="${HEALTH_INTERVAL_SECONDS:-3}"
  ENV_FILE="${ENV_FILE:-}"
  DOCKERHUB_USERNAME="${DOCKERHUB_USERNAME:-}"
  DOCKERHUB_TOKEN_PARAMETER="${DOCKERHUB_TOKEN_PARAMETER:-}"
  [[ "$IMAGE_REF" =~ ^[a-z0-9.:/_-]+@sha256:[0-9a-f]{64}$ ]] ||
    die "IMAGE_REF '$IMAGE_REF' is not pinned by digest (expected registry/repo@sha256:<64 hex>)."
  [[ "$CONTAINER_NAME" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || die "CONTAINER_NAME '$CONTAINER_NAME' is not a valid name."
  [[ "$HEALTH_TIMEOUT_SECONDS" =~ ^[0-9]+$ && "$HEALTH_INTERVAL_SECONDS" =~ ^[1-9][0-9]*$ ]] ||
    die "HEALTH_TIMEOUT_SECONDS and HEALTH_INTERVAL_SECONDS must be whole seconds."
}

# The registry host of an image reference (the part before the first slash, when it looks like a host).
registry_of() {
  local first="${1%%/*}"
  if [[ "$1" == */* && ( "$first" == *.* || "$first" == *:* || "$first" == localhost ) ]]; then
    printf '%s\n' "$first"
  else
    printf 'docker.io\n'
  fi
}
