#!/usr/bin/env bash
# One-time system setup (Debian/Ubuntu), shared by the README's Quick start and .ci/run:
#   chromium      the browser that drives code-server's workbench (integration and e2e tiers)
#   ripgrep       Debian's rg seeds code-server 4.100.3's offline install (its own download needs GitHub)
#   libkrb5-dev   headers for code-server's native kerberos module
#   tinyproxy     a real HTTP proxy for the proxy tests
#   g++ make python3   native builds of code-server's modules (node-gyp)
# Installs only what is missing; needs root (or sudo).
set -euo pipefail

packages=(chromium ripgrep libkrb5-dev tinyproxy g++ make python3)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "System packages present: ${packages[*]}"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Installing ${missing[*]} needs root: run this script as root." >&2; exit 1; }
  sudo=(sudo)
fi
echo "Installing system packages: ${missing[*]}"
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
