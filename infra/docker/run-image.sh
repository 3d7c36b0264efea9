#!/usr/bin/env bash
# Runs a built image's ENTRYPOINT + CMD where `podman run` cannot (it fails
# to set resource limits on these machines): in the image's own root
# filesystem (`podman image mount`, read-only as the pods run it), with /proc
# and /dev, fresh writable /data and /tmp (the pods' volumes), the image's
# USER, WORKDIR and ENV, in a private mount namespace, on the host's network.
#   bash infra/docker/run-image.sh IMAGE [-e K=V]... [-v HOSTDIR:DIR[:ro]]... [-- ARG...]
# -v targets must exist in the image, or be under /data or /tmp; ARGs replace CMD.
# SIGTERM/SIGINT go to the entrypoint (tini, which passes them to the service).
set -euo pipefail
image="$1"
shift
envs=(TINI_SUBREAPER=1) # tini is not PID 1 here: it still reaps as a subreaper
binds=()
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -e) envs+=("$2"); shift 2 ;;
    -v) binds+=("$2"); shift 2 ;;
    --) shift; args=("$@"); break ;;
    *) echo "run-image.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

lines() { podman image inspect "$image" --format "{{range .Config.$1}}{{println .}}{{end}}" | sed '/^$/d'; }
user="$(podman image inspect "$image" --format '{{.Config.User}}')"
workdir="$(podman image inspect "$image" --format '{{.Config.WorkingDir}}')"
mapfile -t image_env < <(lines Env)
mapfile -t entrypoint < <(lines Entrypoint)
[ ${#args[@]} -gt 0 ] || mapfile -t args < <(lines Cmd)

root="$(podman image mount "$image")"
state="$(mktemp -d)"
mkdir -p "$state/data" "$state/tmp"
chmod 1777 "$state/tmp"
[ -n "$user" ] && chown "$user" "$state/data"
child=""
cleanup() {
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child" 2>/dev/null || true
  podman image unmount "$image" >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT
trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT

mounts="mount --rbind /dev '$root/dev' && mount -t proc proc '$root/proc' && mount --bind '$state/data' '$root/data' && mount --bind '$state/tmp' '$root/tmp'"
for b in "${binds[@]}"; do
  IFS=: read -r src dst mode <<<"$b"
  case "$dst" in /data/* | /tmp/*) mkdir -p "$state$dst" ;; esac
  mounts+=" && mount --bind '$src' '$root$dst'"
  [ "${mode:-}" = ro ] && mounts+=" && mount -o remount,bind,ro '$root$dst'"
done
# unshare -m without --fork execs in place: the pid we wait on becomes the entrypoint's.
unshare --mount --propagation private /bin/sh -c "$mounts && exec chroot ${user:+--userspec=$user} '$root' /usr/bin/env -i \"\$@\"" sh \
  "${image_env[@]}" "${envs[@]}" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "${workdir:-/}" "${entrypoint[@]}" "${args[@]}" &
child=$!
# A trapped signal interrupts `wait` (status > 128) while the entrypoint shuts down: wait on for its own status.
status=0
wait "$child" || status=$?
while [ "$status" -gt 128 ] && kill -0 "$child" 2>/dev/null; do
  status=0
  wait "$child" || status=$?
done
last=0
wait "$child" 2>/dev/null || last=$?
[ "$last" -ne 127 ] && status=$last
child=""
exit "$status"
