#!/usr/bin/env bash
# Authoring-time tool (not run by CI): speaks samples/prompts.tsv into 8 kHz mono 16-bit WAV prompts,
# english at each app's root and russian in its russian/ folder — CommuniGate's environment layout.
# Needs Debian's espeak-ng and sox. The callback prompts are copied into autosecretary (its after-hours path).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
speak() { # voice text out
  espeak-ng -v "$1" -s 150 -w "$tmp/raw.wav" "$2"
  sox -q -V1 "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$3" vol 0.7 pad 0.1 0.2
}
while IFS=$'\t' read -r app name en ru; do
  [[ -z "$app" || "$app" == \#* ]] && continue
  mkdir -p "$app/russian"
  speak en "$en" "$app/$name.wav"
  speak ru "$ru" "$app/russian/$name.wav"
  if [[ "$app" == callback ]]; then
    mkdir -p autosecretary/russian
    cp "$app/$name.wav" "autosecretary/$name.wav"; cp "$app/russian/$name.wav" "autosecretary/russian/$name.wav"
  fi
done < prompts.tsv
