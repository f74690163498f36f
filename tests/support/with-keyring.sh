#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throwaway, unlocked gnome-keyring: a real
# Secret Service for the keychain tests, leaving nothing running afterwards.
set -euo pipefail
exec dbus-run-session -- keyctl session - bash -c '
  export XDG_DATA_HOME=$(mktemp -d)   # throwaway keyring files (changing HOME would break cargo)
  echo -n ci-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  export BULK_COLLECT_THROWAWAY_KEYCHAIN=1   # tests that write the keychain refuse to run without it
  exec "$@"' _ "$@"
