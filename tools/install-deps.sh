#!/usr/bin/env bash
# Installs the Debian 12 packages in tools/deps.txt that are missing. Needs root (or sudo).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
list=${1:-$here/deps.txt}
missing=()
while read -r pkg; do
  case $pkg in ''|\#*) continue ;; esac
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
